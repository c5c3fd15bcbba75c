#!/usr/bin/env node
// RELIABILITY row 31: an Electronegativity scan of the built app (out/, made by electron-vite
// build). Writes every finding as SARIF and fails on any HIGH one. Run by `npm test`.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = dirname(dirname(fileURLToPath(import.meta.url)));
// The release-notes check downloads Electron's release list from GitHub: offline it only waits
// out a timeout. Electron is pinned in package.json, so its version is reviewed there instead.
const onlineChecks = ['AvailableSecurityFixesGlobalCheck'];

/**
 * Scans `input` (a folder of built JS/HTML, or an .asar) and writes SARIF to `sarifPath`.
 * Resolves with every finding and the HIGH ones; parse errors count as findings (a file the
 * scanner could not read was not checked).
 */
export async function scanElectron(input, sarifPath) {
  const run = require('@doyensec/electronegativity');
  const electronVersion = require(join(root, 'package.json')).devDependencies.electron;
  mkdirSync(dirname(sarifPath), { recursive: true });
  const result = await run(
    {
      input: resolve(input),
      output: sarifPath,
      isSarif: true,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: onlineChecks.map((name) => name.toLowerCase()),
    },
    false,
  );
  const findings = result.issues.map((issue) => ({
    id: issue.id,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    file: issue.file,
    line: issue.location?.line ?? 0,
    reviewRequired: Boolean(issue.manualReview),
  }));
  const unreadable = result.errors.filter((error) => !error.tolerable);
  return { findings, high: findings.filter((finding) => finding.severity === 'HIGH'), unreadable };
}

async function main() {
  const input = process.argv[2] ?? join(root, 'out');
  const sarifPath = process.argv[3] ?? join(root, 'out', 'electronegativity.sarif');
  const { findings, high, unreadable } = await scanElectron(input, sarifPath);
  for (const f of findings) console.log(`  ${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.line}${f.reviewRequired ? ' (review)' : ''}`);
  for (const error of unreadable) console.error(`  not scanned: ${error.file}: ${error.message}`);
  console.log(`electronegativity: ${findings.length} findings, ${high.length} HIGH; SARIF in ${sarifPath}`);
  // exitCode, not exit(): the SARIF file is still being written.
  if (high.length > 0 || unreadable.length > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
