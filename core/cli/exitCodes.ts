import { TunebenchError } from '../api/errors.js';
import { writeErr } from './terminalText.js';

export const exitCode = { ok: 0, failure: 1, badInput: 2, interrupted: 130 } as const;

/**
 * Prints an error as one readable paragraph (a stack only with --verbose) and picks the exit code.
 * The first issue usually repeats the message; `validate` lists it too, for the field it names.
 */
export function reportError(error: unknown, verbose: boolean, options: { isEveryIssueListed?: boolean } = {}): number {
  if (error instanceof TunebenchError) {
    const lines = [`error: ${error.message}`];
    for (const issue of error.issues.slice(options.isEveryIssueListed ? 0 : 1, 10)) lines.push(`  ${issue.where}: ${issue.message}`);
    if (error.issues.length > 10) lines.push(`  ... and ${error.issues.length - 10} more`);
    writeErr(lines.join('\n') + '\n');
    if (verbose && error.stack) process.stderr.write(error.stack + '\n');
    return error.isUserInput ? exitCode.badInput : exitCode.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeErr(`error: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
  else process.stderr.write('(run again with --verbose for details)\n');
  return exitCode.failure;
}
