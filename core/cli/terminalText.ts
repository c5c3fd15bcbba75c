/**
 * Text from the database or the user (study names, errors, column names) can hold terminal
 * escape sequences; printed raw they could clear the screen or rewrite what the user reads.
 * Control characters but line feed and tab become `\u001b`-style escapes, which also keeps JSON
 * output valid (JSON.stringify already escapes C0; this adds DEL and C1). Idempotent.
 */
const controlCharacters = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControl(text: string): string {
  return text.replace(controlCharacters, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function writeOut(text: string): void {
  process.stdout.write(escapeControl(text));
}

export function writeErr(text: string): void {
  process.stderr.write(escapeControl(text));
}
