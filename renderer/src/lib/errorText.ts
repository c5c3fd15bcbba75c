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
  DATASET_MISMATCH: 'The dataset does not fit this study',
  ARGUMENT_INVALID: 'Invalid input',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Not possible right now',
  STORE_LOCKED: 'The database is busy',
  STORE_CORRUPT: 'The database is damaged',
  LEASE_HELD: 'Another process runs this study',
  STORE_IO: 'The database could not be written',
  CANCELLED: 'Cancelled',
};

/**
 * DATASET_MISMATCH covers every way a table can fail to make a study; each gets its own heading,
 * read from the issue's place or the message the data layer writes (core/data, core/training).
 * An unmatched one keeps the code's heading, which is true of all of them.
 */
const datasetTitles: { matches: RegExp; title: string }[] = [
  { matches: /has changed since|fingerprint mismatch/, title: 'The dataset changed since the study started' },
  { matches: /dropColumns/, title: 'Check the columns left out' },
  { matches: /is not in the table|is not a column/, title: 'The target column is not in the file' },
  { matches: /only the target column|no features/, title: 'The file has no feature columns' },
  { matches: /target .* is missing|all missing/, title: 'The target column is empty' },
  { matches: /distinct text values/, title: 'A text column has too many different values' },
  { matches: /row\(s\); at least|row\(s\) cannot be split|training split is empty/, title: 'Too few rows to train on' },
  { matches: /^\/objective\/metric|: \/objective\/metric:/, title: 'The metric does not fit the task' },
  { matches: /cannot be a regression target/, title: 'The target is text, not a number' },
  { matches: /needs at least 2/, title: 'The target has only one value' },
  { matches: /too many classes/, title: 'The target has too many classes' },
  { matches: /^\/model\/|: \/model\/type:/, title: 'The model does not fit the dataset' },
];

function titleOf(code: string, message: string, issues: readonly ErrorIssue[], overrides: Readonly<Record<string, string>>): string {
  const override = overrides[code];
  if (override) return override;
  if (code === 'DATASET_MISMATCH') {
    const texts = [message, ...issues.flatMap((issue) => [issue.where, issue.message])];
    const found = datasetTitles.find((entry) => texts.some((text) => entry.matches.test(text)));
    if (found) return found.title;
  }
  return titles[code] ?? 'Something went wrong';
}

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
 * what did not happen ("The study was not launched.") and leads the message line; `titleOverrides`
 * lets a place that knows what a code means there say so (a rename's CONFLICT is a taken name).
 */
export function describeError(error: unknown, context = '', titleOverrides: Readonly<Record<string, string>> = {}): ErrorView {
  const withContext = (message: string) => [context, message].filter(Boolean).join(' ');
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
    const raw = 'issues' in error && Array.isArray(error.issues) ? (error.issues as unknown[]) : [];
    const issues = raw.filter(isIssue).map((issue) => ({ where: String(issue.where), message: String(issue.message) }));
    const message = String(error.message);
    // Servers often fold the issues into the message; listing them once is enough.
    const isRepeat = issues.length > 0 && issues.every((issue) => message.includes(issue.message));
    const shown = isRepeat || !message ? (context ? '' : (repeatedMessages[code] ?? '')) : message;
    return { title: titleOf(code, message, issues, titleOverrides), message: withContext(shown), issues };
  }
  return { title: 'Something went wrong', message: withContext(String(error)), issues: [] };
}
