import type { Document, LineCounter } from 'yaml';
import { isMap, isScalar, visit } from 'yaml';
import type { ErrorIssue } from '../api/errors.js';

// Caps checked by a linear scan before YAML parsing, whose cost grows with keys and nesting
// (a 985 KB spec of 115k keys took 75 s), and a duplicate-key check that stays linear.

/** Mapping keys allowed in a spec (counted as ':' and '?' marks): honest specs have under 200. */
export const maxSpecKeys = 10_000;
/** Bracket nesting allowed in a spec; honest specs nest 3 deep. */
export const maxSpecNesting = 64;

/** Control characters a spec may not hold: all but tab, line feed and carriage return. */
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** The first reason the text is refused before parsing, or null. One pass over the characters. */
export function precheckSpecText(text: string): ErrorIssue | null {
  const control = controlCharacter.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return { where: lineColumn(text, control.index), message: `control character U+${code} is not allowed in a spec` };
  }
  let keys = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 58 /* : */ || char === 63 /* ? */) keys += 1;
    else if (char === 91 /* [ */ || char === 123 /* { */) depth += 1;
    else if (char === 93 /* ] */ || char === 125 /* } */) depth = Math.max(0, depth - 1);
    if (keys > maxSpecKeys) return { where: lineColumn(text, i), message: `more than ${maxSpecKeys} keys; a spec needs a few dozen` };
    if (depth > maxSpecNesting) return { where: lineColumn(text, i), message: `nested more than ${maxSpecNesting} levels deep` };
  }
  return null;
}

/** Duplicate keys in any mapping, each with a Set (yaml's own check compares every pair). */
export function duplicateKeyIssues(doc: Document, lineCounter: LineCounter): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        const offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
        const pos = offset === undefined ? null : lineCounter.linePos(offset);
        issues.push({ where: pos ? `line ${pos.line}, column ${pos.col}` : 'line 1', message: `duplicate key "${String(key)}" (keys must be unique)` });
      }
    },
  });
  return issues;
}
