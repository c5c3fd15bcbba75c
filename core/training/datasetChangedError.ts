import { TunebenchError, type ErrorIssue } from '../api/errors.js';

/** The file no longer matches the study's fingerprint (other DATASET_MISMATCH errors are the spec's fault). */
export class DatasetChangedError extends TunebenchError {
  constructor(message: string, issues: readonly ErrorIssue[]) {
    super('DATASET_MISMATCH', message, issues);
  }
}
