import { closeSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec } from '../api/spec.js';
import { resolveDatasetRef } from '../data/index.js';
import { maxSpecChars, parseSpecText } from '../space/parseSpec.js';

/** At most this many bytes are read (a character is up to 4 bytes in UTF-8); more is refused. */
const maxSpecBytes = maxSpecChars * 4;

function refuse(path: string, message: string): TunebenchError {
  return new TunebenchError('ARGUMENT_INVALID', `cannot read spec file ${path}: ${message}`, [{ where: path, message }]);
}

/**
 * Reads a spec file as UTF-8, stopping after the size limit so `/dev/zero` or a huge file costs
 * bounded memory; invalid UTF-8 is refused instead of being read as replacement characters.
 */
export function readSpecFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw refuse(path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code);
  }
  const buffer = Buffer.alloc(maxSpecBytes + 1);
  let length = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxSpecBytes) throw refuse(path, `larger than ${maxSpecBytes} bytes; a spec is a few KB`);
    }
  } catch (error) {
    if (error instanceof TunebenchError) throw error;
    throw refuse(path, (error as NodeJS.ErrnoException).code ?? String(error));
  } finally {
    closeSync(fd);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
  } catch {
    throw refuse(path, 'not UTF-8 text (save the spec as UTF-8)');
  }
}

/**
 * A spec file parsed, with a relative CSV path made absolute against the file's own folder (what
 * a person means by `csv: data/x.csv` beside the spec), not the shell's working directory.
 */
export function readSpec(path: string): StudySpec {
  const spec = parseSpecText(readSpecFile(path), path);
  return { ...spec, dataset: resolveDatasetRef(spec.dataset, dirname(resolve(path))) };
}
