/**
 * The sandboxed preload (built to out/preload/index.cjs, CommonJS as the sandbox requires): puts
 * the contract's frozen API at `window.maestro` through the context bridge. Raw ipcRenderer is
 * never exposed.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api.js';

contextBridge.exposeInMainWorld('maestro', createPreloadApi(ipcRenderer));
