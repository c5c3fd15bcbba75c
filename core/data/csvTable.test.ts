import { describe, expect, it } from 'vitest';
import { detectDelimiter, maxCsvColumns, parseCsvTable } from './csvTable.js';
import { decodeCsvBytes } from './csvText.js';
import { errorOf, fixtureBytes } from '../../tests/support/csvFixtures.js';

const table = (name: string) => parseCsvTable(decodeCsvBytes(fixtureBytes(name)));
const weatherHeader = ['outlook', 'temperature', 'humidity', 'windy', 'play'];

describe('parseCsvTable', () => {
  it('reads a plain comma file with line numbers', () => {
    const t = table('weather.csv');
    expect(t.header).toEqual(weatherHeader);
    expect(t.rows).toHaveLength(14);
    expect(t.rows[0]).toEqual(['sunny', '29.4', '85', 'false', 'no']);
    expect(t.delimiter).toBe(',');
  });

  it('reads BOM, CRLF and trailing blank lines the same as the plain file', () => {
    const plain = table('weather.csv');
    for (const name of ['bom.csv', 'crlf.csv', 'trailing-blank.csv']) {
      const t = table(name);
      expect(t.header, name).toEqual(weatherHeader);
      expect(t.rows, name).toEqual(plain.rows);
    }
  });

  it('reads mixed line endings (CRLF header, LF data, a lone CR) with the right line numbers', () => {
    const plain = table('weather.csv');
    const lines = fixtureBytes('weather.csv').toString('utf8').trimEnd().split('\n');
    const mixed = `${lines[0]}\r\n${lines.slice(1, 8).join('\n')}\r${lines.slice(8).join('\r\n')}\n`;
    const t = parseCsvTable(mixed);
    expect(t.header).toEqual(weatherHeader);
    expect(t.rows).toEqual(plain.rows);
    const ragged = errorOf(() => parseCsvTable('a,b\r\n1,2\n3\n'));
    expect(ragged.issues[0]?.where).toBe('line 3');
  });

  it('detects semicolon and tab delimiters from the header line', () => {
    const semi = table('semicolon.csv');
    expect(semi.delimiter).toBe(';');
    expect(semi.header).toEqual(['length', 'width', 'kind']);
    expect(semi.rows[1]).toEqual(['2,25', '0,4', 'b']);
    const tab = table('tab.csv');
    expect(tab.delimiter).toBe('\t');
    expect(tab.rows[3]).toEqual(['4.75', '1.3', 'b']);
    expect(detectDelimiter('"a;b",c,d\n1;2;3')).toBe(',');
    expect(detectDelimiter('single\n1')).toBe(',');
  });

  it('keeps delimiters, newlines and doubled quotes inside quoted fields', () => {
    const t = table('quoted.csv');
    expect(t.header).toEqual(['name', 'comment', 'score']);
    expect(t.rows).toEqual([
      ['Smith, Anna', 'said "hi"\nthen left', '3.5'],
      ['Lee, Bo', 'plain', '4'],
      ['Kim', 'a, b, c', '5'],
    ]);
  });

  it('counts lines through multi-line quoted fields and blank lines in messages', () => {
    const error = errorOf(() => parseCsvTable('a,b\n"x\ny\nz",1\n\n"p",2\nq\n'));
    expect(error.issues).toEqual([{ where: 'line 7', message: 'expected 2 columns, found 1' }]);
    const unclosed = errorOf(() => parseCsvTable('a,b\n"x\ny",1\n\n2,"open\n3,4\n'));
    expect(unclosed.issues).toEqual([{ where: 'line 5', message: 'unclosed quote' }]);
  });

  it('names the line where an unclosed quote opens', () => {
    const error = errorOf(() => table('unclosed-quote.csv'));
    expect(error.code).toBe('CSV_PARSE');
    expect(error.message).toContain('starts on line 3 is never closed');
    expect(error.issues).toEqual([{ where: 'line 3', message: 'unclosed quote' }]);
  });

  it('names the line of a stray quote', () => {
    const error = errorOf(() => table('stray-quote.csv'));
    expect(error.code).toBe('CSV_PARSE');
    expect(error.message).toContain('stray quote on line 3');
    expect(error.issues[0]?.where).toBe('line 3');
  });

  it('names every ragged row with expected and found column counts', () => {
    const error = errorOf(() => table('ragged.csv'));
    expect(error.code).toBe('CSV_SHAPE');
    expect(error.message).toContain('the row on line 4 has 2 columns but the header has 3 (2 rows in all)');
    expect(error.issues).toEqual([
      { where: 'line 4', message: 'expected 3 columns, found 2' },
      { where: 'line 6', message: 'expected 3 columns, found 4' },
    ]);
  });

  it('refuses a header-only file and whitespace-only text', () => {
    const error = errorOf(() => table('header-only.csv'));
    expect(error.code).toBe('CSV_SHAPE');
    expect(error.message).toBe('the file has a header (3 columns) but no data rows');
    expect(errorOf(() => parseCsvTable('\n\n  \n')).message).toContain('empty');
  });

  it('refuses duplicate header names, naming both positions', () => {
    const error = errorOf(() => table('duplicate-header.csv'));
    expect(error.code).toBe('CSV_SHAPE');
    expect(error.message).toContain('duplicate column names in the header: "a"');
    expect(error.issues).toEqual([{ where: 'line 1', message: '"a" is both column 1 and 3' }]);
  });

  it('names unnamed columns and drops a trailing delimiter column', () => {
    expect(parseCsvTable(',a,b\n0,1,2\n1,3,4\n').header).toEqual(['column 1', 'a', 'b']);
    const trailing = parseCsvTable('a,b,\n1,2,\n3,4,\n');
    expect(trailing.header).toEqual(['a', 'b']);
    expect(trailing.rows).toEqual([['1', '2'], ['3', '4']]);
  });

  it('refuses more columns than the cap from the first line', () => {
    const header = Array.from({ length: maxCsvColumns + 1 }, (_, i) => `c${i}`).join(',');
    const error = errorOf(() => parseCsvTable(`${header}\n1\n`));
    expect(error.code).toBe('CSV_SHAPE');
    expect(error.message).toContain('about 10001 columns; at most 10000');
  });
});
