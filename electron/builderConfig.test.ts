import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

interface PlatformConfig {
  files?: string[];
}
interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  linux: PlatformConfig;
  win: PlatformConfig;
  mac: PlatformConfig;
  asar: boolean;
  electronFuses: Record<string, boolean>;
}

const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
// Every copy of Dawn the package holds, as paths relative to the app directory.
const dawnCopies = readdirSync(path.join(root, 'node_modules/webgpu/dist')).map((dir) => `node_modules/webgpu/dist/${dir}/dawn.node`);

/** electron-builder's rule: top-level then platform patterns, in order, the last match wins. */
function isPacked(file: string, patterns: readonly string[]): boolean {
  let isIncluded = false;
  for (const pattern of patterns) {
    const isNegated = pattern.startsWith('!');
    if (path.matchesGlob(file, isNegated ? pattern.slice(1) : pattern)) isIncluded = !isNegated;
  }
  return isIncluded;
}

const targets = [
  { platform: 'linux', arch: 'x64', expected: 'linux-x64' },
  { platform: 'linux', arch: 'arm64', expected: 'linux-arm64' },
  { platform: 'win', arch: 'x64', expected: 'win32-x64' },
  { platform: 'win', arch: 'arm64', expected: 'win32-arm64' },
  { platform: 'mac', arch: 'universal', expected: 'darwin-universal' },
] as const;

describe('electron-builder.yml and Dawn (webgpu)', () => {
  it('finds all five copies in the installed package', () => {
    expect(dawnCopies).toHaveLength(5);
  });

  it.each(targets)('packs only the $expected copy for $platform $arch', ({ platform, arch, expected }) => {
    const patterns = [...config.files, ...(config[platform].files ?? [])].map((pattern) => pattern.replaceAll('${arch}', arch));
    const packed = dawnCopies.filter((file) => isPacked(file, patterns));
    expect(packed).toEqual([`node_modules/webgpu/dist/${expected}/dawn.node`]);
  });

  it('unpacks dawn.node from the asar archive so it can be dlopen\'ed', () => {
    for (const file of dawnCopies) expect(config.asarUnpack.some((pattern) => path.matchesGlob(`app/${file}`, pattern))).toBe(true);
  });
});

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
    for (const name of Object.keys(config.electronFuses)) expect(known, name).toContain(name);
  });

  it('packs the app into an asar, which the integrity fuse checks', () => {
    expect(config.asar).toBe(true);
  });
});
