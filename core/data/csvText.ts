import { TunebenchError } from '../api/errors.js';

/** Larger files are refused before parsing: the sync parser holds every cell in memory. */
export const maxCsvBytes = 200 * 1024 * 1024;

const sizeText = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Turns the bytes of a CSV file into text, refusing what is not UTF-8 text: 0 bytes, too large,
 * binary (NUL bytes), UTF-16 and invalid UTF-8 (most often Latin-1 / Windows-1252 from Excel).
 * A UTF-8 byte order mark is removed.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  checkSize(bytes.length);
  const decoder = new CsvTextDecoder();
  return decoder.push(bytes) + decoder.end();
}

/**
 * decodeCsvBytes chunk by chunk, for a file streamed from disk: the same checks and messages,
 * with lines counted across chunks. `push` returns the text decoded so far (a UTF-8 sequence split
 * between chunks waits for the next one); `end` checks the file was not empty or cut mid-sequence.
 */
export class CsvTextDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private bytesSeen = 0;
  private linesBefore = 1;
  /** The undecoded tail of the previous chunk (an incomplete sequence), to locate an error in it. */
  private carry: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): string {
    if (this.bytesSeen === 0 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
      throw new TunebenchError('CSV_PARSE', 'the file is UTF-16 text; re-save it as UTF-8 (in Excel: "CSV UTF-8")', [
        { where: 'line 1', message: 'UTF-16 byte order mark' },
      ]);
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw binaryError(this.linesBefore + countLines(chunk, nul), this.bytesSeen + nul);
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.invalidError(chunk);
    }
    if (this.bytesSeen === 0) text = stripBom(text);
    this.bytesSeen += chunk.length;
    this.linesBefore += countLines(chunk, chunk.length);
    this.carry = chunk.subarray(chunk.length - incompleteTail(chunk));
    return text;
  }

  end(): string {
    checkSize(this.bytesSeen);
    try {
      return this.decoder.decode();
    } catch {
      throw this.invalidError(new Uint8Array(0));
    }
  }

  /** Only now pay for a byte scan, to name the line. */
  private invalidError(chunk: Uint8Array): TunebenchError {
    const joined = new Uint8Array(this.carry.length + chunk.length);
    joined.set(this.carry);
    joined.set(chunk, this.carry.length);
    const at = firstInvalidUtf8(joined);
    const bad = at < 0 ? 0 : at;
    const offset = this.bytesSeen - this.carry.length + bad;
    // The carried bytes hold no newline (all are 0x80 or above): lines before the chunk count them.
    const line = this.linesBefore + countLines(joined, bad);
    const byte = `0x${(joined[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
    return new TunebenchError(
      'CSV_PARSE',
      `the file is not valid UTF-8 (byte ${byte} on line ${line}); it is probably Latin-1 / Windows-1252. ` +
        'Re-save it as UTF-8 (in Excel: "CSV UTF-8") and import it again',
      [{ where: `line ${line}`, message: `invalid UTF-8 byte ${byte} at offset ${offset}` }],
    );
  }
}

/** Bytes at the end of `chunk` that start a UTF-8 sequence the chunk does not finish (0 to 3). */
function incompleteTail(chunk: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const b = chunk[chunk.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = utf8Sequence(b)?.[0] ?? 0;
    return need >= back ? back : 0;
  }
  return 0;
}

/** Newlines before `end`. */
function countLines(bytes: Uint8Array, end: number): number {
  let lines = 0;
  for (let i = bytes.indexOf(10); i >= 0 && i < end; i = bytes.indexOf(10, i + 1)) lines++;
  return lines;
}

/**
 * The checks that still make sense on text that was decoded elsewhere (a browser upload):
 * size, emptiness, NUL characters and U+FFFD, which a lenient decoder leaves for bytes that were
 * not UTF-8. Returns the text without a byte order mark.
 */
export function checkCsvText(text: string): string {
  checkSize(text.length);
  const nul = text.indexOf('\0');
  if (nul >= 0) throw binaryError(lineOfIndex(text, nul), nul);
  const replaced = text.indexOf('\uFFFD');
  if (replaced >= 0) {
    const line = lineOfIndex(text, replaced);
    throw new TunebenchError(
      'CSV_PARSE',
      `the text has undecodable characters (\uFFFD) on line ${line}: the file was probably not UTF-8 ` +
        '(Latin-1 / Windows-1252?). Re-save it as UTF-8 and import it again',
      [{ where: `line ${line}`, message: 'replacement character U+FFFD' }],
    );
  }
  return stripBom(text);
}

function checkSize(length: number): void {
  if (length === 0) throw new TunebenchError('CSV_SHAPE', 'the file is empty (0 bytes)', []);
  if (length > maxCsvBytes) throw csvTooLarge(length);
}

/** The one message for a file over the cap, wherever it is met (read whole, streamed, uploaded). */
export function csvTooLarge(length: number): TunebenchError {
  return new TunebenchError(
    'CSV_SHAPE',
    `the file is too large (${sizeText(length)}; at most ${sizeText(maxCsvBytes)} can be imported). ` + 'Sample or split it first',
  );
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function binaryError(line: number, offset: number): TunebenchError {
  return new TunebenchError(
    'CSV_PARSE',
    `the file contains NUL bytes (first on line ${line}): it looks like a binary file ` +
      '(a spreadsheet, archive or image), not CSV text. Export it as CSV (UTF-8) first',
    [{ where: `line ${line}`, message: `NUL byte at offset ${offset}` }],
  );
}

function lineOfIndex(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const seq = utf8Sequence(b);
    if (!seq) return i;
    const [need, lo, hi] = seq;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      // Only the first continuation byte has a narrowed range.
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Continuation bytes a lead byte needs, and the allowed range of the first of them. */
function utf8Sequence(b: number): [need: number, lo: number, hi: number] | null {
  if (b >= 0xc2 && b <= 0xdf) return [1, 0x80, 0xbf];
  if (b === 0xe0) return [2, 0xa0, 0xbf];
  if (b === 0xed) return [2, 0x80, 0x9f];
  if (b >= 0xe1 && b <= 0xef) return [2, 0x80, 0xbf];
  if (b === 0xf0) return [3, 0x90, 0xbf];
  if (b >= 0xf1 && b <= 0xf3) return [3, 0x80, 0xbf];
  if (b === 0xf4) return [3, 0x80, 0x8f];
  return null;
}
