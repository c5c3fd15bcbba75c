import { describe, expect, it } from 'vitest';
import { checkCsvText, decodeCsvBytes, firstInvalidUtf8, maxCsvBytes } from './csvText.js';
import { errorOf, fixtureBytes } from '../../tests/support/csvFixtures.js';

describe('decodeCsvBytes', () => {
  it('strips a UTF-8 byte order mark', () => {
    const text = decodeCsvBytes(fixtureBytes('bom.csv'));
    expect(text.startsWith('outlook,temperature')).toBe(true);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('refuses 0 bytes', () => {
    const error = errorOf(() => decodeCsvBytes(fixtureBytes('empty.csv')));
    expect(error.code).toBe('CSV_SHAPE');
    expect(error.message).toContain('empty (0 bytes)');
  });

  it('refuses binary content, naming the NUL byte line', () => {
    const error = errorOf(() => decodeCsvBytes(fixtureBytes('binary.csv')));
    expect(error.code).toBe('CSV_PARSE');
    expect(error.message).toContain('NUL bytes');
    expect(error.message).toContain('not CSV text');
    expect(error.issues[0]).toEqual({ where: 'line 1', message: 'NUL byte at offset 5' });
  });

  it('refuses Latin-1 bytes, naming the byte and line and suggesting UTF-8', () => {
    const error = errorOf(() => decodeCsvBytes(fixtureBytes('latin1.csv')));
    expect(error.code).toBe('CSV_PARSE');
    expect(error.message).toContain('byte 0xE9 on line 3');
    expect(error.message).toContain('Latin-1');
    expect(error.message).toContain('Re-save it as UTF-8');
    expect(error.issues[0]?.where).toBe('line 3');
  });

  it('refuses UTF-16', () => {
    const bytes = Buffer.from('\uFEFFa,b\n1,2\n', 'utf16le');
    expect(errorOf(() => decodeCsvBytes(bytes)).message).toContain('UTF-16');
  });

  it('refuses more than the size cap', () => {
    const error = errorOf(() => decodeCsvBytes(new Uint8Array(maxCsvBytes + 1)));
    expect(error.code).toBe('CSV_SHAPE');
    expect(error.message).toContain('too large (200.0 MB; at most 200.0 MB');
  });
});

describe('firstInvalidUtf8', () => {
  it('accepts multi-byte characters and finds the first bad byte', () => {
    expect(firstInvalidUtf8(Buffer.from('Montréal 東京 🐧', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xc3, 0xa9, 0xe9, 0x61]))).toBe(3);
    expect(firstInvalidUtf8(Uint8Array.from([0xc0, 0xaf]))).toBe(0); // overlong '/'
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(1); // truncated
  });
});

describe('checkCsvText', () => {
  it('strips a BOM and refuses NUL and U+FFFD', () => {
    expect(checkCsvText('\uFEFFa,b\n1,2')).toBe('a,b\n1,2');
    expect(errorOf(() => checkCsvText('a,b\n1,\0')).issues[0]?.where).toBe('line 2');
    const replaced = errorOf(() => checkCsvText('a,b\nx,1\nMontr\uFFFDal,2\n'));
    expect(replaced.code).toBe('CSV_PARSE');
    expect(replaced.message).toContain('on line 3');
    expect(replaced.message).toContain('Latin-1');
    expect(errorOf(() => checkCsvText('')).message).toContain('empty');
  });
});
