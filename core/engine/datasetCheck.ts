import type { Study } from '../api/domain.js';
import { toPlainError } from '../api/errors.js';
import { describeDataset } from '../data/index.js';

/**
 * Why a study's CSV can no longer train it (changed since the study recorded its fingerprint,
 * moved or unreadable), or null when it matches. Run once before any trial starts, so a changed
 * file pauses the study instead of failing every trial against it (RELIABILITY row 45).
 * Built-in datasets ship with the app and are not re-read here.
 */
export async function datasetChange(study: Study, baseDir: string): Promise<string | null> {
  const ref = study.spec.dataset;
  if (typeof ref === 'string') return null;
  let found: string;
  try {
    found = (await describeDataset(ref, baseDir)).info.fingerprint;
  } catch (error) {
    return `dataset ${ref.csv} cannot be read: ${toPlainError(error).message}; restore the file the study was started with, then resume`;
  }
  if (found === study.datasetFingerprint) return null;
  return (
    `dataset ${ref.csv} has changed since the study started (fingerprint ${found.slice(0, 12)}…, the study recorded ` +
    `${study.datasetFingerprint.slice(0, 12)}…); restore the file, then resume`
  );
}
