import type { ErrorIssue } from '../../../core/api/errors.js';

export interface ErrorView {
  /** A short heading derived from the error code. */
  title: string;
  message: string;
  issues: ErrorIssue[];
}

const titles: Record<string, string> = {
  SPEC_INVALID: 'The spec is not valid',
  SPEC_PARSE: 'The spec cannot be read',
  CSV_PARSE: 'The CSV file cannot be read',
  CSV_SHAPE: 'The CSV file has an unexpected shape',
  DATASET_UNKNOWN: 'Unknown dataset',
  DATASET_MISMATCH: 'The dataset changed since the study started',
  ARGUMENT_INVALID: 'Invalid input',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Not possible right now',
  STORE_LOCKED: 'The database is busy',
  STORE_CORRUPT: 'The database is damaged',
  LEASE_HELD: 'Another process runs this study',
  STORE_IO: 'The database could not be written',
  CANCELLED: 'Cancelled',
};

function isIssue(value: unknown): value is ErrorIssue {
  return typeof value === 'object' && value !== null && 'where' in value && 'message' in value;
}

/** Said instead of a server message that only repeats the issues, so a banner never lacks one. */
const repeatedMessages: Record<string, string> = {
  SPEC_INVALID: 'Fix the fields listed below.',
  SPEC_PARSE: 'Fix the lines listed below.',
};

/**
 * Reads a TunebenchError (or anything thrown) into what the error banner shows. `context` says
 * what did not happen ("The study was not launched.") and leads the message line.
 */
export function describeError(error: unknown, context = ''): ErrorView {
  const withContext = (message: string) => [context, message].filter(Boolean).join(' ');
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
    const raw = 'issues' in error && Array.isArray(error.issues) ? (error.issues as unknown[]) : [];
    const issues = raw.filter(isIssue).map((issue) => ({ where: String(issue.where), message: String(issue.message) }));
    const message = String(error.message);
    // Servers often fold the issues into the message; listing them once is enough.
    const isRepeat = issues.length > 0 && issues.every((issue) => message.includes(issue.message));
    const shown = isRepeat || !message ? (context ? '' : (repeatedMessages[code] ?? '')) : message;
    return { title: titles[code] ?? 'Something went wrong', message: withContext(shown), issues };
  }
  return { title: 'Something went wrong', message: withContext(String(error)), issues: [] };
}
