import { mkdirSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session, shell, utilityProcess } from 'electron';
import { createDispatcher } from '../../core/api/dispatch.js';
import { createTunebenchService } from '../../core/engine/service.js';
import { warmWorkerIdleMs } from '../../core/engine/warmSpawner.js';
import { appVersion, dataHome, defaultDbPath } from '../../core/paths.js';
import { openSqliteStore } from '../../core/store/sqliteStore.js';
import { channels } from '../shared/bridge.js';
import { appIndexUrl, appScheme, appSchemePrivileges, createAppProtocolHandler } from './appProtocol.js';
import { createDialogHandler } from './dialogs.js';
import { pushEventsToWindow } from './events.js';
import { createIpcHandlers } from './ipc.js';
import { buildMenu } from './menu.js';
import { denyPermissions, guardNavigation } from './navigation.js';
import { createTrustCheck } from './trust.js';
import { createUtilitySpawner } from './utilitySpawner.js';

// Wiring only: every piece below is a tested module that takes its Electron objects as arguments.
const here = import.meta.dirname;
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const isTrusted = createTrustCheck(devUrl);
let mainWindow: BrowserWindow | null = null;

protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
app.enableSandbox();

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Tunebench',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(devUrl ?? appIndexUrl);
  return window;
}

async function pick(kind: 'open' | 'save', options: { title: string; defaultPath?: string; filters: { name: string; extensions: string[] }[] }) {
  const parent = mainWindow ?? undefined;
  if (kind === 'open') {
    const opts = { ...options, properties: ['openFile' as const] };
    const result = parent ? await dialog.showOpenDialog(parent, opts) : await dialog.showOpenDialog(opts);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }
  const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

async function start(): Promise<void> {
  await app.whenReady();
  mkdirSync(dataHome(), { recursive: true });
  const store = await openSqliteStore(defaultDbPath());
  const spawner = createUtilitySpawner({
    fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
    workerScript: join(here, 'worker.js'),
  });
  const service = await createTunebenchService({ store, spawner, workDir: dataHome(), followMs: 500, warmWorkers: { idleMs: warmWorkerIdleMs } });

  protocol.handle(appScheme, createAppProtocolHandler(join(here, '../renderer')));
  denyPermissions(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, shell, isTrusted));
  createIpcHandlers(ipcMain, createDispatcher(service), isTrusted, {
    dialogs: createDialogHandler({
      pickOpen: (options) => pick('open', options),
      pickSave: (options) => pick('save', options),
      fileSize: async (path) => (await stat(path)).size,
      readFile: (path) => readFile(path),
      writeFile: (path, text) => writeFile(path, text, 'utf8'),
    }),
  });
  const stopEvents = pushEventsToWindow((listener) => service.onEvent(listener), () => mainWindow?.webContents ?? null);
  const menu = buildMenu({
    appName: 'Tunebench',
    isMac: process.platform === 'darwin',
    isDev: devUrl !== undefined,
    send: (command) => mainWindow?.webContents.send(channels.menu, command),
    showAbout: () =>
      void dialog.showMessageBox({
        type: 'info',
        message: `Tunebench ${appVersion()}`,
        detail: `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
      }),
    openDataFolder: () => void shell.openPath(dataHome()),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  mainWindow = createWindow();

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let isClosing = false;
  app.on('will-quit', (event) => {
    if (isClosing) return;
    // Let running trials be recorded and workers be stopped before the process goes.
    event.preventDefault();
    isClosing = true;
    stopEvents();
    void service.close().finally(() => app.exit(0));
  });
}

// One instance per user: two engines writing the same database would fight over trials.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((error: unknown) => {
    dialog.showErrorBox('Tunebench could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
