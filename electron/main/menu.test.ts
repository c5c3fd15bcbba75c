import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { MenuCommand } from '../shared/bridge.js';
import { buildMenu } from './menu.js';

function menu(isDev: boolean, isMac = false) {
  const send = vi.fn<(command: MenuCommand) => void>();
  const template = buildMenu({ appName: 'Tunebench', isMac, isDev, send, showAbout: vi.fn(), openDataFolder: vi.fn() });
  const sub = (label: string) => (template.find((item) => item.label === label)?.submenu ?? []) as MenuItemConstructorOptions[];
  return { template, send, sub };
}

describe('app menu', () => {
  it('has File, Edit, View and Help; File items send their commands to the renderer', () => {
    const { template, send, sub } = menu(false);
    expect(template.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    const file = sub('File').filter((item) => item.label);
    expect(file.map((item) => item.label)).toEqual(['New study', 'Open CSV...', 'Open spec...', 'Save spec...', 'Export...']);
    for (const item of file) (item.click as () => void)();
    expect(send.mock.calls.map(([command]) => command)).toEqual(['newStudy', 'openCsv', 'openSpec', 'saveSpec', 'export']);
  });
  it('offers reload and devtools only in development', () => {
    const roles = (isDev: boolean) => menu(isDev).sub('View').map((item) => item.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
  it('adds the app menu on macOS', () => {
    expect(menu(false, true).template[0]?.role).toBe('appMenu');
  });
});
