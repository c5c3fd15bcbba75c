/**
 * Every error a user can cause or see carries a stable `code`; the CLI exit code and the UI
 * message derive from it. `where` names the field (JSON pointer), CSV line or column at fault.
 */
/** Codes caused by what the user gave us: exit 2 in the CLI, shown as a form error in the UI. */
const inputErrorCodes = [
  'SPEC_INVALID',
  'SPEC_PARSE',
  'CSV_PARSE',
  'CSV_SHAPE',
  'DATASET_UNKNOWN',
  'DATASET_MISMATCH',
  'ARGUMENT_INVALID',
  'NOT_FOUND',
  'CONFLICT',
] as const;

export const errorCodes = [
  ...inputErrorCodes,
  'STORE_LOCKED',
  'STORE_CORRUPT',
  /** Another live process owns the study (its lease); the message names its host and pid. */
  'LEASE_HELD',
  /** A write failed (disk full, I/O error) and was rolled back; resume once the disk is fixed. */
  'STORE_IO',
  'TRIAL_DIVERGED',
  'TRIAL_CRASHED',
  'TRIAL_TIMEOUT',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

const inputCodes: ReadonlySet<ErrorCode> = new Set(inputErrorCodes);

export interface ErrorIssue {
  /** JSON pointer (`/space/learningRate/logUniform/0`), `line 12` or `column "age"`. */
  where: string;
  message: string;
}

export class TunebenchError extends Error {
  override readonly name = 'TunebenchError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: readonly ErrorIssue[] = [],
  ) {
    super(message);
  }

  get isUserInput(): boolean {
    return inputCodes.has(this.code);
  }
}

/** The form in which an error crosses IPC, HTTP or a process boundary. */
export interface PlainError {
  name: string;
  code: ErrorCode;
  message: string;
  issues: ErrorIssue[];
}

export function toPlainError(error: unknown): PlainError {
  if (error instanceof TunebenchError) {
    return { name: error.name, code: error.code, message: error.message, issues: [...error.issues] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'Error', code: 'INTERNAL', message, issues: [] };
}

export function fromPlainError(plain: PlainError): TunebenchError {
  return new TunebenchError(plain.code, plain.message, plain.issues);
}

export function isInputErrorCode(code: ErrorCode): boolean {
  return inputCodes.has(code);
}
