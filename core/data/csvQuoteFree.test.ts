import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuoteFreeSplitter } from './csvQuoteFree.js';
import { parserOptions, parseCsvTable, type CsvDelimiter } from './csvTable.js';

type Record = [string[], number];

function byLibrary(text: string, delimiter: CsvDelimiter): Record[] {
  const out: Record[] = [];
  parse(text, { ...parserOptions(delimiter), on_record: (record: string[], context) => (out.push([record, context.lines]), null) });
  return out;
}

/** The splitter fed `text` cut at `cuts`; what it hands back (a quoted rest) is parsed by csv-parse. */
function bySplitter(text: string, delimiter: CsvDelimiter, cuts: number[]): Record[] {
  const out: Record[] = [];
  const splitter = new QuoteFreeSplitter(delimiter, (record, line) => out.push([record, line]));
  const bounds = [0, ...[...new Set(cuts)].filter((cut) => cut > 0 && cut < text.length).sort((a, b) => a - b), text.length];
  let quoted: string | null = null;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const chunk = text.slice(bounds[i], bounds[i + 1]);
    if (quoted !== null) quoted += chunk;
    else quoted = splitter.write(chunk);
  }
  if (quoted === null) splitter.end();
  else for (const [record, line] of byLibrary(quoted, delimiter)) out.push([record, line + splitter.lines]);
  return out;
}

const pieces = ['a', 'b', '1.5', '-2', ' ', '', ',', ';', '\t', '\n', '\r', '\r\n', '"', '""', '"x,y"'];
const csvText = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));
const quoteFree = fc.array(fc.constantFrom(...pieces.filter((piece) => !piece.includes('"'))), { maxLength: 40 }).map((parts) => parts.join(''));

describe('QuoteFreeSplitter', () => {
  it('gives csv-parse records and line numbers for any text cut into any chunks', () => {
    fc.assert(
      fc.property(fc.oneof(csvText, quoteFree), fc.constantFrom<CsvDelimiter>(',', ';', '\t'), fc.array(fc.nat(60), { maxLength: 6 }), (text, delimiter, cuts) => {
        let expected: Record[];
        try {
          expected = byLibrary(text, delimiter);
        } catch {
          return; // a quote error: the library's to report, checked below
        }
        expect(bySplitter(text, delimiter, cuts)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the edge cases csv-parse defines: no record after a final line end, [""] for a blank line', () => {
    expect(bySplitter('a,b\n\nc,d\n', ',', [])).toEqual([[['a', 'b'], 1], [[''], 2], [['c', 'd'], 3]]);
    expect(bySplitter('x\r\n\n\rz', ',', [1, 2])).toEqual([[['x'], 1], [[''], 2], [[''], 3], [['z'], 4]]);
    expect(bySplitter('', ',', [])).toEqual([]);
    expect(bySplitter('\n', ',', [])).toEqual([[[''], 1]]);
  });

  it('names the right line for a quote error after many quote-free lines', () => {
    const text = ['x,y', ...Array.from({ length: 500 }, (_, i) => `${i},${i % 2}`), '1,a"b', '2,0'].join('\n');
    expect(() => parseCsvTable(text)).toThrow(/stray quote on line 502/);
    const unclosed = ['x,y', '1,2', '3,"4', '5,6'].join('\n');
    expect(() => parseCsvTable(unclosed)).toThrow(/the quoted field that starts on line 3 is never closed/);
  });
});
