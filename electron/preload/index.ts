import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './createBridge.js';

// Sandboxed preload: `electron` is the only module it may require; everything else is bundled.
contextBridge.exposeInMainWorld('tunebench', createBridge(ipcRenderer));
