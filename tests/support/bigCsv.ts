import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes a CSV of about `megabytes` MB to `path` in chunks (never whole in memory): an id, six
 * numeric columns, a text column and a 3-class label, from a fixed-seed generator. Returns the
 * number of data rows.
 */
export function writeBigCsv(path: string, megabytes: number): number {
  const target = megabytes * 1024 * 1024;
  const fd = openSync(path, 'w');
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let written = 0;
  let rows = 0;
  try {
    const header = 'id,x1,x2,x3,x4,x5,x6,colour,label\n';
    writeSync(fd, header);
    written += header.length;
    while (written < target) {
      const lines: string[] = [];
      for (let i = 0; i < 20_000; i++) {
        const x = Array.from({ length: 6 }, () => (next() * 200 - 100).toFixed(4));
        lines.push(`${rows + i},${x.join(',')},${['red', 'green', 'blue'][Math.floor(next() * 3)]},${Math.floor(next() * 3)}\n`);
      }
      const chunk = lines.join('');
      writeSync(fd, chunk);
      written += chunk.length;
      rows += lines.length;
    }
  } finally {
    closeSync(fd);
  }
  return rows;
}
