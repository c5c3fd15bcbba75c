import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/bridge.js';

export interface MenuOptions {
  appName: string;
  isMac: boolean;
  isDev: boolean;
  /** Sends a command to the renderer, which runs the matching dialog or view. */
  send(command: MenuCommand): void;
  showAbout(): void;
  openDataFolder(): void;
}

/** The app menu as a template (Menu.buildFromTemplate in index.ts; plain data for tests). */
export function buildMenu(options: MenuOptions): MenuItemConstructorOptions[] {
  const command = (label: string, name: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => options.send(name),
  });
  const view: MenuItemConstructorOptions[] = [
    ...(options.isDev
      ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
      : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(options.isMac ? [{ label: options.appName, role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        command('New study', 'newStudy', 'CmdOrCtrl+N'),
        command('Open CSV...', 'openCsv', 'CmdOrCtrl+O'),
        command('Open spec...', 'openSpec', 'CmdOrCtrl+Shift+O'),
        command('Save spec...', 'saveSpec', 'CmdOrCtrl+S'),
        command('Export...', 'export', 'CmdOrCtrl+E'),
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: 'Edit', role: 'editMenu' },
    { label: 'View', submenu: view },
    {
      label: 'Help',
      role: 'help',
      submenu: [
        { label: `About ${options.appName}`, click: () => options.showAbout() },
        { label: 'Open data folder', click: () => options.openDataFolder() },
      ],
    },
  ];
}
