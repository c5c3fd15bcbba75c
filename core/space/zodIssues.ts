import { z } from 'zod';
import type { core } from 'zod';
import type { ErrorIssue } from '../api/errors.js';
import { optimizerNames, scheduleNames } from '../api/spec.js';

type Path = readonly PropertyKey[];

const numericForms = 'a number, { choice: [...] }, { uniform: [low, high] } or { logUniform: [low, high] }';
/** What a field accepts, said once per union-typed field, for input that fits none of its forms. */
const unionHints: Readonly<Record<string, string>> = {
  learningRate: numericForms,
  momentum: numericForms,
  decayRate: numericForms,
  decaySteps: numericForms,
  decay: numericForms,
  minLrFraction: numericForms,
  batchSize: 'a positive whole number, { choice: [...] } or { intRange: [low, high], powersOfTwo: true }',
  optimizer: `an optimizer or { choice: [...] } of them (${optimizerNames.join(', ')})`,
  lrSchedule: `a schedule or { choice: [...] } of them (${scheduleNames.join(', ')})`,
  dataset: 'builtin:NAME or { csv: path, target: column }',
};

/** RFC 6901 pointer; the whole document is "/" (as the API dispatcher writes it). */
export function toPointer(path: Path): string {
  return '/' + path.map((key) => String(key).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/**
 * Turns zod issues into `{ where, message }` with JSON pointers and plain messages: each unknown
 * key is its own issue at the key's pointer (with a suggestion and the allowed keys); for a
 * union (numeric domain, optimizer, ...) the branch the input was meant for is chosen, so the
 * user reads about `/space/learningRate/logUniform`, not four failed alternatives.
 */
export function translateIssues(issues: readonly core.$ZodIssue[], schema: z.ZodType, input: unknown): ErrorIssue[] {
  return issues.flatMap((issue) => translate(issue, [], schema, input));
}

function translate(issue: core.$ZodIssue, base: Path, schema: z.ZodType, root: unknown): ErrorIssue[] {
  const path = [...base, ...issue.path];
  const value = valueAt(root, path);
  const field = fieldName(path);
  const where = toPointer(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = knownKeys(schemaAt(schema, path, root), value);
      return issue.keys.map((key) => ({ where: toPointer([...path, key]), message: unknownKey(key, allowed) }));
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined && issue.errors.length === 0) {
        const options = ('options' in issue ? (issue.options ?? []) : []).map(String).join(', ');
        return [{ where, message: `unknown ${field} ${describe(value)}; allowed: ${options}` }];
      }
      const branch = bestBranch(issue.errors, value);
      if (branch) return branch.flatMap((inner) => translate(inner, path, schema, root));
      const hint = unionHints[field] ?? 'one of its allowed forms';
      if (value === undefined) return [{ where, message: `${field} is required: ${hint}` }];
      const keys = isRecord(value) ? Object.keys(value).map((key) => `"${key}"`).join(', ') : '';
      const got = isRecord(value) ? `a mapping with ${keys || 'no keys'}` : describe(value);
      return [{ where, message: `${field} must be ${hint}; got ${got}` }];
    }
    case 'invalid_type':
      if (value === undefined) return [{ where, message: `${field} is required (${typeName(issue.expected)})` }];
      return [{ where, message: `expected ${typeName(issue.expected)}, got ${describe(value)}` }];
    case 'invalid_value': {
      const allowed = issue.values.map(String).join(', ');
      return [{ where, message: `unknown ${field} ${describe(value)}; allowed: ${allowed}` }];
    }
    case 'too_small':
    case 'too_big':
      return [{ where, message: sizeMessage(issue) }];
    default:
      return [{ where, message: issue.message }];
  }
}

/**
 * The branch whose issues say the input was meant for it: no type mismatch at the union's own
 * level, no unknown or missing keys. Null when every branch fails on shape (then a hint is
 * clearer than any one branch's complaint).
 */
function bestBranch(branches: readonly (readonly core.$ZodIssue[])[], value: unknown): readonly core.$ZodIssue[] | null {
  let best: readonly core.$ZodIssue[] | null = null;
  let bestScore = Infinity;
  for (const issues of branches) {
    const score = issues.reduce((sum, issue) => sum + shapePenalty(issue, value), 0);
    if (score < bestScore) [best, bestScore] = [issues, score];
  }
  return bestScore < 10 ? best : null;
}

function shapePenalty(issue: core.$ZodIssue, value: unknown): number {
  if (issue.code === 'invalid_type' && issue.path.length === 0) return 100;
  if (issue.code === 'unrecognized_keys' && issue.path.length === 0) return 10 * issue.keys.length;
  if (issue.code === 'invalid_type' && valueAt(value, issue.path) === undefined) return 10;
  // A complaint about the value itself (not inside it) says less for this branch than a deeper one.
  if ((issue.code === 'invalid_union' || issue.code === 'invalid_value') && issue.path.length === 0) return 5;
  return 1;
}

function sizeMessage(issue: core.$ZodIssue & { code: 'too_small' | 'too_big' }): string {
  // Messages written in the schema ("choice needs at least one value") are already plain.
  if (!/^Too (small|big)/.test(issue.message)) return issue.message;
  const isSmall = issue.code === 'too_small';
  const limit = isSmall ? issue.minimum : issue.maximum;
  if (issue.origin === 'array') return `needs ${isSmall ? 'at least' : 'at most'} ${String(limit)} item(s)`;
  if (issue.origin === 'string') return `must be ${isSmall ? 'at least' : 'at most'} ${String(limit)} character(s)`;
  const inclusive = issue.inclusive !== false;
  const relation = isSmall ? (inclusive ? 'at least' : 'above') : inclusive ? 'at most' : 'below';
  return `must be ${relation} ${String(limit)}`;
}

function unknownKey(key: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return `unknown key "${key}"`;
  const near = allowed.find((name) => name.toLowerCase() === key.toLowerCase() || editDistance(name, key) <= 2);
  const suggestion = near ? ` (did you mean "${near}"?)` : '';
  return `unknown key "${key}"${suggestion}; allowed keys: ${allowed.join(', ')}`;
}

/** The schema at `path`, unwrapping defaults and optionals and picking the union member the value fits. */
function schemaAt(schema: z.ZodType, path: Path, root: unknown): z.ZodType | null {
  let current: z.ZodType | null = schema;
  for (let depth = 0; current && depth <= path.length; depth += 1) {
    current = unwrap(current, valueAt(root, path.slice(0, depth)));
    if (depth === path.length) break;
    const key = path[depth];
    if (current instanceof z.ZodObject && typeof key === 'string') current = (current.shape as Record<string, z.ZodType>)[key] ?? null;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else current = null;
  }
  return current;
}

function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return unwrap(schema.unwrap() as z.ZodType, value);
  if (!(schema instanceof z.ZodUnion)) return schema;
  const objects = (schema.options as z.ZodType[]).filter((option): option is z.ZodObject => option instanceof z.ZodObject);
  const keys = isRecord(value) ? Object.keys(value) : [];
  const fit = (option: z.ZodObject) => keys.filter((key) => key in option.shape).length;
  const best = objects.reduce<z.ZodObject | null>((found, option) => (!found || fit(option) > fit(found) ? option : found), null);
  return best ?? schema;
}

function knownKeys(schema: z.ZodType | null, value: unknown): string[] {
  const resolved = schema ? unwrap(schema, value) : null;
  return resolved instanceof z.ZodObject ? Object.keys(resolved.shape) : [];
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isRecord(current) && typeof key === 'string' && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}

/** The nearest named field on the path, skipping list indices and the `choice` wrapper. */
function fieldName(path: Path): string {
  for (let index = path.length - 1; index >= 0; index -= 1) {
    const key = path[index];
    if (typeof key === 'string' && key !== 'choice') return key;
  }
  return 'spec';
}

function typeName(expected: string): string {
  const names: Record<string, string> = { int: 'a whole number', object: 'a mapping', array: 'a list', tuple: 'a list' };
  return names[expected] ?? `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 60 ? value.slice(0, 57) + '...' : value}"`;
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
