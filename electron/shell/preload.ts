/**
 * Sandboxed preload (bundled to CommonJS by scripts/build.mjs): exposes exactly one object, window.rempart, implementing
 * RempartClient (preload-client.ts). Never exposes ipcRenderer itself (Electron context-isolation guidance).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadClient } from './preload-client.js';

contextBridge.exposeInMainWorld('rempart', buildPreloadClient(ipcRenderer));
