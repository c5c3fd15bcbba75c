import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The environment that gives Dawn a software Vulkan GPU here: the SwiftShader ICD that Debian's
 * chromium installs (Mesa's lavapipe is refused by Dawn). Tests that need webgpu fail with this
 * message instead of skipping, so a CI machine without it is noticed.
 */
const knownPaths = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib64/chromium/vk_swiftshader_icd.json'];

function fromDpkg(): string | undefined {
  try {
    const files = execFileSync('dpkg', ['-L', 'chromium-common', 'chromium'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return files.split('\n').find((line) => line.endsWith('vk_swiftshader_icd.json'));
  } catch (error) {
    // dpkg exits 1 when one of the two packages is absent but still lists the other.
    const out = (error as { stdout?: string }).stdout ?? '';
    return out.split('\n').find((line) => line.endsWith('vk_swiftshader_icd.json'));
  }
}

export function swiftshaderIcd(): string {
  const found = knownPaths.find((path) => existsSync(path)) ?? fromDpkg();
  const hasLoader = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1'].some((path) => existsSync(path));
  if (!found || !hasLoader) {
    throw new Error(
      `webgpu tests need a software Vulkan GPU: ${hasLoader ? '' : 'libvulkan1 is missing; '}${found ? '' : 'no SwiftShader ICD (vk_swiftshader_icd.json from Debian\'s chromium) found; '}install with: apt-get install libvulkan1 chromium (.ci/run does)`,
    );
  }
  return found;
}

/** Env for a process (or this one, before Dawn loads) that should see SwiftShader as its GPU. */
export function swiftshaderEnv(): Record<string, string> {
  return { VK_ICD_FILENAMES: swiftshaderIcd(), XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? mkdtempSync(join(tmpdir(), 'tunebench-xdg-')) };
}
