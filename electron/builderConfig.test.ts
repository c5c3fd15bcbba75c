import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

/** The fuse names electron-builder itself accepts, so a misspelt key cannot pass silently. */
function knownFuseNames(): string[] {
  const require = createRequire(import.meta.url);
  const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as {
    definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
  };
  return Object.keys(scheme.definitions.FuseOptionsV1.properties);
}

describe('electron-builder config', () => {
  it('sets the Electron fuses that keep the packaged app from being used as a plain Node', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    const known = knownFuseNames();
    for (const name of Object.keys(config.electronFuses as object)) expect(known, name).toContain(name);
  });

  it('packs the app into an asar, which the integrity fuse checks', () => {
    expect(config.asar).toBe(true);
  });
});
