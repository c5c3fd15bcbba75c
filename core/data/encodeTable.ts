import type { Hash } from 'node:crypto';
import type { ColumnInfo, DatasetInfo, Task } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { compareText, numericStats, profileColumn, type ColumnProfile } from './columns.js';
import type { Dataset } from './dataset.js';
import { dateFeatureNames, dateFeatures, isDateColumn } from './dateColumns.js';
import { datasetFingerprint, finishFingerprint } from './fingerprint.js';
import { encodeTarget } from './target.js';

/** A categorical feature with more distinct values than this is refused (likely an id or free text). */
export const maxCategories = 100;
export const missingCategory = '(missing)';

/**
 * The missing-value rule, the same for CSV files and built-in tables: rows whose target is missing
 * are dropped (and counted); a missing numeric feature stays NaN here and the split fills it with
 * the training part's mean, so no validation row shapes the fill ("inf" counts as missing); a
 * missing categorical feature is its own category.
 */
export const missingRule =
  'Missing values: rows without a target are dropped; numeric features are filled with the mean of the training part ' +
  `(infinite values count as missing); categorical features get their own category "${missingCategory}".`;

export interface TableInput {
  header: string[];
  rows: string[][];
  target: string;
  /** Overrides the inferred task. */
  task?: Task;
  /** `3,5` reads as 3.5 (files delimited by `;`). */
  isDecimalComma?: boolean;
  /** Columns left out of the features; each must exist and not be the target. */
  dropColumns?: readonly string[];
}

export interface TableMeta {
  key: string;
  name: string;
  source: DatasetInfo['source'];
  path: string | null;
  /** What the data is; the row count and missing-value notes are appended. */
  description: string;
  /** Bytes the fingerprint is taken of (the file, or the package data file), or a sha256 fed them as they streamed by. */
  sourceBytes: readonly Uint8Array[] | Hash;
}

/** A table as column profiles (profileColumn's, or built while a file streamed by) with its row count. */
export interface ProfiledTable extends Omit<TableInput, 'rows'> {
  profiles: ColumnProfile[];
  rowCount: number;
}

interface FeatureBlock {
  names: string[];
  isStandardized: boolean;
  /** Writes this column's features of kept row `row` at `out[offset..]`. */
  write(row: number, out: Float32Array, offset: number): void;
}

interface FeatureColumn {
  info: ColumnInfo;
  block: FeatureBlock;
  /** What was missing and how it was filled, for the description. */
  note: string | null;
}

/** Encodes a table of strings: target chosen and encoded, numeric features imputed, categories one-hot. */
export function encodeTable(input: TableInput, meta: TableMeta): Dataset {
  const profiles = input.header.map((name, i) => profileColumn(name, input.rows, i, input.isDecimalComma));
  const { info, blocks, kept, targetValues } = describeProfiles({ ...input, profiles, rowCount: input.rows.length }, meta);
  const { features, featureNames, standardizeMask } = featureMatrix(blocks, kept);
  const y = Float32Array.from(kept, (row) => targetValues[row] as number);
  return { info, features, target: y, featureNames, standardizeMask };
}

/** The target and dropped columns exist and leave a feature: checked before any column is profiled. */
function checkColumns(input: Pick<TableInput, 'header' | 'target' | 'dropColumns'>): { targetIndex: number; dropped: Set<string> } {
  const targetIndex = input.header.indexOf(input.target);
  if (targetIndex < 0) throw unknownTarget(input.target, input.header);
  const dropped = checkDropColumns(input);
  if (input.header.length - dropped.size < 2) {
    throw new TunebenchError('DATASET_MISMATCH', `the table has only the target column "${input.target}"; no features to learn from`);
  }
  return { targetIndex, dropped };
}

/** encodeTable's DatasetInfo without the feature matrix: what the host needs to describe a file it does not load. */
export function describeTable(input: ProfiledTable, meta: TableMeta): DatasetInfo {
  return describeProfiles(input, meta).info;
}

function describeProfiles(
  input: ProfiledTable,
  meta: TableMeta,
): { info: DatasetInfo; blocks: FeatureBlock[]; kept: Uint32Array; targetValues: Float64Array } {
  const { targetIndex, dropped } = checkColumns(input);
  const profiles = input.profiles;
  const targetProfile = profiles[targetIndex] as ColumnProfile;
  const target = encodeTarget(targetProfile, input.task);
  const kept = keptRows(target.values);
  const droppedRows = input.rowCount - kept.length;
  if (kept.length === 0) {
    throw new TunebenchError('DATASET_MISMATCH', `every row's target "${input.target}" is missing`, [
      { where: `column "${input.target}"`, message: 'all missing' },
    ]);
  }
  const notes: string[] = droppedRows > 0 ? [`Dropped ${droppedRows} row(s) with no "${input.target}".`] : [];
  if (dropped.size > 0) notes.push(`Left out: ${[...dropped].map((name) => `"${name}"`).join(', ')}.`);
  const columns: ColumnInfo[] = [];
  const blocks: FeatureBlock[] = [];
  profiles.forEach((profile, i) => {
    if (i === targetIndex) {
      columns.push(targetColumn(profile, kept, target.classes, droppedRows));
      return;
    }
    if (dropped.has(profile.name)) return;
    const { info, block, note } = profile.numbers
      ? numericFeature(profile, profile.numbers, kept)
      : isDateColumn(profile)
        ? dateFeature(profile, kept)
        : categoricalFeature(profile, kept);
    columns.push(info);
    blocks.push(block);
    if (note) notes.push(note);
  });
  const width = blocks.reduce((sum, block) => sum + block.names.length, 0);
  const info: DatasetInfo = {
    key: meta.key,
    name: meta.name,
    source: meta.source,
    path: meta.path,
    fingerprint:
      'digest' in meta.sourceBytes
        ? finishFingerprint(meta.sourceBytes, input.target, target.task, [...dropped])
        : datasetFingerprint(meta.sourceBytes, input.target, target.task, [...dropped]),
    rows: kept.length,
    columns,
    target: input.target,
    task: target.task,
    classes: target.classes,
    featureCount: width,
    imageShape: null,
    description: [meta.description, `${kept.length} rows, ${width} features.`, missingRule, ...notes].join(' '),
  };
  return { info, blocks, kept, targetValues: target.values };
}

function featureMatrix(blocks: FeatureBlock[], kept: Uint32Array): Required<Pick<Dataset, 'features' | 'featureNames' | 'standardizeMask'>> {
  const featureNames = blocks.flatMap((b) => b.names);
  const width = featureNames.length;
  const features = new Float32Array(kept.length * width);
  kept.forEach((row, r) => {
    let offset = r * width;
    for (const block of blocks) {
      block.write(row, features, offset);
      offset += block.names.length;
    }
  });
  const standardizeMask = Uint8Array.from(blocks.flatMap((b) => b.names.map(() => (b.isStandardized ? 1 : 0))));
  return { features, featureNames, standardizeMask };
}

function keptRows(values: Float64Array): Uint32Array {
  let count = 0;
  for (const v of values) if (!Number.isNaN(v)) count++;
  const rows = new Uint32Array(count);
  let next = 0;
  values.forEach((v, i) => {
    if (!Number.isNaN(v)) rows[next++] = i;
  });
  return rows;
}

export function unknownTarget(target: string, header: string[]): TunebenchError {
  const listed = header.slice(0, 50).map((n) => `"${n}"`).join(', ') + (header.length > 50 ? ', ...' : '');
  return new TunebenchError('DATASET_MISMATCH', `target column "${target}" is not in the table; the columns are: ${listed}`, [
    { where: '/dataset/target', message: `"${target}" is not a column of the table` },
  ]);
}

function targetColumn(profile: ColumnProfile, kept: Uint32Array, classes: string[] | null, dropped: number): ColumnInfo {
  const categories = classes ? { categories: classes } : {};
  const stats = profile.numbers ? statsOf(profile.numbers, kept) : {};
  return { name: profile.name, kind: profile.kind, ...categories, missing: dropped, ...stats };
}

function statsOf(values: Float64Array, kept: Uint32Array): Partial<ColumnInfo> {
  const s = numericStats(values, kept);
  return s.count === 0 ? {} : { mean: s.mean, std: s.std, min: s.min, max: s.max };
}

/** The names in `dropColumns`, each checked to be a column other than the target. */
function checkDropColumns(input: Pick<TableInput, 'header' | 'target' | 'dropColumns'>): Set<string> {
  const names = input.dropColumns ?? [];
  const issues = names.flatMap((name, i) => {
    const where = `/dataset/dropColumns/${i}`;
    if (name === input.target) return [{ where, message: `"${name}" is the target; it cannot be dropped` }];
    return input.header.includes(name) ? [] : [{ where, message: `"${name}" is not a column of the table` }];
  });
  if (issues.length > 0) {
    const first = issues[0] as { where: string; message: string };
    throw new TunebenchError('DATASET_MISMATCH', `dropColumns: ${first.message}; the columns are: ${input.header.map((n) => `"${n}"`).join(', ')}`, issues);
  }
  return new Set(names);
}

function numericFeature(profile: ColumnProfile, values: Float64Array, kept: Uint32Array): FeatureColumn {
  let missing = 0;
  for (const row of kept) if (Number.isNaN(values[row] as number)) missing++;
  const info: ColumnInfo = { name: profile.name, kind: 'numeric', missing, ...statsOf(values, kept) };
  const block: FeatureBlock = {
    names: [profile.name],
    isStandardized: true,
    // NaN stays: the split fills it with the training part's mean.
    write(row, out, offset) {
      out[offset] = values[row] as number;
    },
  };
  const inf = profile.infinite > 0 ? ` (the file has ${profile.infinite} infinite value(s), treated as missing)` : '';
  const note = missing > 0 || profile.infinite > 0 ? `"${profile.name}": ${missing} missing${inf}, filled with the training part's mean.` : null;
  return { info, block, note };
}

/** An ISO date column as year and day of year (sine, cosine); see dateColumns.ts for why. */
function dateFeature(profile: ColumnProfile, kept: Uint32Array): FeatureColumn {
  const texts = profile.texts ?? [];
  let missing = 0;
  for (const row of kept) if (texts[row] === null) missing++;
  const info: ColumnInfo = { name: profile.name, kind: 'numeric', missing };
  const block: FeatureBlock = {
    names: dateFeatureNames(profile.name),
    isStandardized: true,
    write(row, out, offset) {
      out.set(dateFeatures(texts[row] ?? null), offset);
    },
  };
  const missingNote = missing > 0 ? `, ${missing} missing filled with the training part's means` : '';
  const note = `"${profile.name}": ISO dates, used as year and day of year (sine, cosine)${missingNote}; add it to dropColumns to leave it out.`;
  return { info, block, note };
}

function categoricalFeature(profile: ColumnProfile, kept: Uint32Array): FeatureColumn {
  const texts = profile.texts ?? [];
  const seen = new Set<string>();
  let missing = 0;
  for (const row of kept) {
    const t = texts[row];
    if (t === null || t === undefined) missing++;
    else seen.add(t);
  }
  if (seen.size > maxCategories) {
    throw new TunebenchError(
      'DATASET_MISMATCH',
      `column "${profile.name}" has ${seen.size} distinct text values (at most ${maxCategories} can be one-hot encoded); ` +
        'it looks like an id or free text: drop the column, or make it numeric',
      [{ where: `column "${profile.name}"`, message: `${seen.size} categories` }],
    );
  }
  const categories = [...seen].sort(compareText);
  if (missing > 0) categories.push(missingCategory);
  const index = new Map(categories.map((c, i) => [c, i]));
  const missingIndex = index.get(missingCategory) ?? -1;
  const info: ColumnInfo = { name: profile.name, kind: 'categorical', categories, missing };
  const block: FeatureBlock = {
    names: categories.map((c) => `${profile.name}=${c}`),
    isStandardized: false,
    write(row, out, offset) {
      const t = texts[row];
      out[offset + (t === null || t === undefined ? missingIndex : (index.get(t) as number))] = 1;
    },
  };
  const note = missing > 0 ? `"${profile.name}": ${missing} missing, encoded as "${missingCategory}".` : null;
  return { info, block, note };
}
