import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec } from '../api/spec.js';
import { resolveDatasetRef } from '../data/index.js';
import { parseSpecText } from '../space/parseSpec.js';

export function readSpecFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new TunebenchError('ARGUMENT_INVALID', `cannot read spec file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
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
