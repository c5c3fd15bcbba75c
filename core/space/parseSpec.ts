import { LineCounter, parseDocument, visit } from 'yaml';
import type { ErrorIssue } from '../api/errors.js';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec } from '../api/spec.js';
import { studySpecSchema } from '../api/spec.js';
import { checkSpec } from './checkSpec.js';
import { duplicateKeyIssues, precheckSpecText } from './specTextLimits.js';
import { translateIssues } from './zodIssues.js';

/** Alias expansions allowed when building the value; far above honest use, far below a bomb. */
export const maxAliasCount = 100;
/** The API accepts at most this much spec text; the parser holds the same line. */
export const maxSpecChars = 1_000_000;

/**
 * Parses spec text (YAML, or JSON, which YAML 1.2 contains) and validates it with
 * `validateSpec`. Text over `maxSpecChars`, control characters, too many keys or too deep nesting
 * are rejected before parsing; duplicate keys, more than one document, a document that is not a
 * mapping and alias bombs (more than `maxAliasCount` expansions) before any value is used.
 * Throws TunebenchError SPEC_PARSE (issues `where` = `line L, column C`) for syntax, or
 * SPEC_INVALID (issues `where` = JSON pointer) for content. `sourceName` only labels messages.
 */
export function parseSpecText(text: string, sourceName?: string): StudySpec {
  const label = sourceName ?? 'the spec';
  const format = sourceName?.toLowerCase().endsWith('.json') || /^\s*[{[]/.test(text) ? 'JSON' : 'YAML';
  if (text.length > maxSpecChars) {
    throw parseError(label, format, [{ where: 'line 1', message: `the spec is longer than ${maxSpecChars} characters` }]);
  }
  const refused = precheckSpecText(text);
  if (refused) throw parseError(label, format, [refused]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true, lineCounter });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => {
      const start = error.linePos?.[0];
      const where = start ? `line ${start.line}, column ${start.col}` : 'line 1';
      return { where, message: (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '') };
    });
    throw parseError(label, format, issues);
  }
  const duplicates = duplicateKeyIssues(doc, lineCounter);
  if (duplicates.length > 0) throw parseError(label, format, duplicates);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount });
  } catch (error) {
    // yaml throws ReferenceError for alias bombs and unresolved aliases; point at the first alias.
    let where = 'line 1';
    visit(doc, {
      Alias(_key, node) {
        const offset = node.range?.[0];
        if (offset === undefined) return undefined;
        const pos = lineCounter.linePos(offset);
        where = `line ${pos.line}, column ${pos.col}`;
        return visit.BREAK;
      },
    });
    const reason = error instanceof Error ? error.message : String(error);
    const message = /excessive alias/i.test(reason)
      ? `too many alias expansions (more than ${maxAliasCount}); the file looks like an alias bomb`
      : reason;
    throw parseError(label, format, [{ where, message }]);
  }
  if (!isMappingValue(value)) {
    const got = value === null || value === undefined ? 'an empty document' : Array.isArray(value) ? 'a list' : 'a single value';
    throw invalidError(label, [{ where: '/', message: `the spec must be a mapping of fields (dataset, space, ...), not ${got}` }]);
  }
  return validateSpec(value, sourceName);
}

/**
 * Validates a spec value (parsed text, or an object sent through the API) against
 * `studySpecSchema` and the semantic checks of `checkSpec`, and returns it with defaults
 * applied. Throws TunebenchError SPEC_INVALID listing every issue (JSON pointer + message);
 * its message is one paragraph naming the first fields at fault.
 */
export function validateSpec(value: unknown, sourceName?: string): StudySpec {
  const parsed = studySpecSchema.safeParse(value);
  const issues = parsed.success ? checkSpec(parsed.data) : translateIssues(parsed.error.issues, studySpecSchema, value);
  if (issues.length > 0) throw invalidError(sourceName ?? 'the spec', issues);
  if (!parsed.success) throw new TunebenchError('INTERNAL', 'zod reported failure without issues');
  return parsed.data;
}

function invalidError(label: string, issues: readonly ErrorIssue[]): TunebenchError {
  return new TunebenchError('SPEC_INVALID', `Invalid spec in ${label}: ${summary(issues)}`, issues);
}

function parseError(label: string, format: string, issues: readonly ErrorIssue[]): TunebenchError {
  return new TunebenchError('SPEC_PARSE', `Cannot read ${label} as ${format}: ${summary(issues)}`, issues);
}

/** "where: message; where: message (and N more)." — the first three issues, one paragraph. */
function summary(issues: readonly ErrorIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => `${issue.where}: ${issue.message}`);
  const rest = issues.length - shown.length;
  return shown.join('; ') + (rest > 0 ? ` (and ${rest} more issue${rest === 1 ? '' : 's'})` : '') + '.';
}

function isMappingValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
