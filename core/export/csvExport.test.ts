import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { csvColumns, csvField, csvText } from './csvExport.js';
import { renderExport } from './renderExport.js';
import { createFixtureStudy, tempStore } from '../../tests/support/export.js';

/** A minimal RFC 4180 reader (CRLF rows), enough to check what the writer produced. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let isQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (isQuoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') isQuoted = false;
      else field += c;
    } else if (c === '"') isQuoted = true;
    else if (c === ',' || (c === '\r' && text[i + 1] === '\n')) {
      row.push(field);
      field = '';
      if (c === '\r') {
        rows.push(row);
        row = [];
        i++;
      }
    } else field += c;
  }
  return rows;
}

describe('csvField', () => {
  it('prefixes text cells a spreadsheet would run as formulas with a single quote', () => {
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });

  it('leaves numbers as numbers, negative ones included', () => {
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(1e-7)).toBe('1e-7');
    expect(csvField(0)).toBe('0');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and blanks missing values', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvText([['a', 1], ['b,c', null]])).toBe('a,1\r\n"b,c",\r\n');
  });
});

describe('CSV export from a SQLite store', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await tempStore()));
  afterEach(() => cleanup());

  it('writes one row per top trial, ranked, params in columns, formulas escaped', async () => {
    const { study } = await createFixtureStudy(store, {
      name: 'csv-study',
      direction: 'minimize',
      trials: [
        { params: { optimizer: 'adam', learningRate: 0.01 }, value: 0.5 },
        { params: { optimizer: 'momentum', momentum: 0.9, batchSize: 32 }, value: 0.2, backend: '=cmd|"/c calc"!A1' },
        { params: { lrSchedule: 'exponential', decayRate: 0.9, decaySteps: 2 }, value: 0.3, backend: '-2+3' },
        { params: {}, value: null },
        { params: {}, value: 0.1, state: 'pruned' },
      ],
    });
    const result = await renderExport(store, study, 'csv', 5);
    expect(result.fileName).toBe('csv-study-top5.csv');
    expect(result.mimeType).toBe('text/csv');
    const rows = parseCsv(result.text);
    expect(rows[0]).toEqual([...csvColumns]);
    expect(rows[0]).toEqual([
      'rank', 'number', 'state', 'value', 'best_epoch', 'epochs_run', 'duration_ms', 'backend',
      'optimizer', 'learningRate', 'batchSize', 'lrSchedule', 'momentum', 'decayRate', 'decaySteps', 'decay', 'minLrFraction',
      'seed',
    ]);
    // Failed and pruned trials are not ranked; minimize puts 0.2 first.
    expect(rows).toHaveLength(4);
    const byName = (row: string[]) => Object.fromEntries(csvColumns.map((name, i) => [name, row[i]]));
    const [first, second, third] = rows.slice(1).map(byName);
    expect(first).toMatchObject({ rank: '1', number: '1', state: 'complete', value: '0.2', optimizer: 'momentum', momentum: '0.9', batchSize: '32', decayRate: '' });
    expect(first?.backend).toBe(`'=cmd|"/c calc"!A1`);
    expect(second).toMatchObject({ rank: '2', number: '2', value: '0.3', backend: "'-2+3", decayRate: '0.9', decaySteps: '2', momentum: '' });
    expect(third).toMatchObject({ rank: '3', number: '0', value: '0.5', best_epoch: '2', epochs_run: '5', learningRate: '0.01', seed: '1000' });
    expect(result.text.endsWith('\r\n')).toBe(true);
  });

  it('exports just the header for a study with no complete trial', async () => {
    const { study } = await createFixtureStudy(store, { name: 'empty', direction: 'maximize', trials: [{ params: {}, value: null }] });
    const result = await renderExport(store, study, 'csv', 1);
    expect(result.fileName).toBe('empty-best.csv');
    expect(parseCsv(result.text)).toEqual([[...csvColumns]]);
  });

  it('puts the tuned model params a trial has before seed, blank where its layer does not exist', async () => {
    const { study } = await createFixtureStudy(store, {
      name: 'model',
      direction: 'minimize',
      trials: [
        { params: { hiddenLayers: 2, units1: 16, units2: 8, activation: 'tanh', l2: 0.001 }, value: 0.2 },
        { params: { hiddenLayers: 1, units1: 4, activation: 'relu', l2: 0.01 }, value: 0.3 },
      ],
    });
    const rows = parseCsv((await renderExport(store, study, 'csv', 5)).text);
    expect(rows[0]?.slice(-6)).toEqual(['hiddenLayers', 'units1', 'units2', 'activation', 'l2', 'seed']);
    expect(rows[1]?.slice(-6, -1)).toEqual(['2', '16', '8', 'tanh', '0.001']);
    expect(rows[2]?.slice(-6, -1)).toEqual(['1', '4', '', 'relu', '0.01']);
  });
});
