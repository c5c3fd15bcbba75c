import { readdirSync, readFileSync } from 'node:fs';
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
