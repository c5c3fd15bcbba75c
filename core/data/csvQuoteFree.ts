/**
 * csv-parse handles quoting, and pays for it on every byte: on a 10,000 x 64 numeric file it
 * takes ~10x a plain split. Most dataset files hold no quote at all, so records are split here
 * while none has been seen; from the first line that holds a quote, the rest of the text goes to
 * csv-parse (the caller's), so every quoting rule stays the library's. The records and line numbers
 * are the ones csv-parse gives with parserOptions (csvQuoteFree.test.ts compares them).
 */

const recordDelimiter = /\r\n|\n|\r/;

export class QuoteFreeSplitter {
  /** Text after the last complete record, kept for the next chunk. */
  private pending = '';
  private linesDone = 0;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (record: string[], endLine: number) => void,
  ) {}

  /** Lines split so far: where csv-parse's line numbers start from once it takes over. */
  get lines(): number {
    return this.linesDone;
  }

  /**
   * Splits the complete records of `text` (after what earlier chunks left). Returns null, or the
   * text from the start of the first line holding a quote, for csv-parse: nothing more is split here.
   */
  write(text: string): string | null {
    const all = this.pending + text;
    const quote = all.indexOf('"');
    if (quote >= 0) {
      const lineStart = Math.max(all.lastIndexOf('\n', quote), all.lastIndexOf('\r', quote)) + 1;
      this.emit(all.slice(0, lineStart), true);
      this.pending = '';
      return all.slice(lineStart);
    }
    // A chunk ending in \r may be half of a \r\n: keep it until the next chunk says.
    const isHalfEnd = all.endsWith('\r');
    const whole = isHalfEnd ? all.slice(0, -1) : all;
    const last = Math.max(whole.lastIndexOf('\n'), whole.lastIndexOf('\r')) + 1;
    this.emit(whole.slice(0, last), true);
    this.pending = whole.slice(last) + (isHalfEnd ? '\r' : '');
    return null;
  }

  /** The end of the text: the last record needs no line end. */
  end(): void {
    this.emit(this.pending, false);
    this.pending = '';
  }

  /** `isComplete`: the text ends with a line end (or is empty), so no partial record follows it. */
  private emit(text: string, isComplete: boolean): void {
    if (text === '') return;
    const lines = text.split(recordDelimiter);
    // As csv-parse: text ending in a line end makes no empty record after it.
    if (isComplete || lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) this.onRecord(line.split(this.delimiter), ++this.linesDone);
  }
}
