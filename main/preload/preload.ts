/**
 * Sandboxed preload: runs before the page with only `require('electron')` available, so
 * scripts/build-preload.ts bundles this file and its imports into one CommonJS file and replaces the two
 * name lists below with the contract's names. It publishes exactly one object, never `ipcRenderer`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createKioskApi } from './kiosk-api.js';

declare const __RVM_COMMAND_NAMES__: readonly string[];
declare const __RVM_EVENT_NAMES__: readonly string[];

const KIOSK_API_NAME = 'rvmKiosk';

contextBridge.exposeInMainWorld(
  KIOSK_API_NAME,
  createKioskApi(ipcRenderer, { commands: __RVM_COMMAND_NAMES__, events: __RVM_EVENT_NAMES__ }),
);
