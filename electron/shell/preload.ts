/**
 * Sandboxed preload (bundled to CommonJS by scripts/build.mjs): exposes exactly one object, window.rempart, implementing
 * RempartClient — one function per API method (invoke `rempart:<method>` with at most one payload) plus on(event, fn).
 * Never exposes ipcRenderer itself (Electron context-isolation guidance).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  API_METHODS,
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_PREFIX,
  type EventName,
  type RempartClient,
  type RempartEvents,
} from '../contract/api.js';

function on<E extends EventName>(event: E, listener: (payload: RempartEvents[E]) => void): () => void {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new TypeError(`unknown event ${String(event)}`);
  if (typeof listener !== 'function') throw new TypeError('listener must be a function');
  const handler = (_e: IpcRendererEvent, message: { event?: unknown; payload?: unknown }) => {
    if (message && message.event === event) listener(message.payload as RempartEvents[E]);
  };
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  };
}

const methods = Object.fromEntries(
  API_METHODS.map((method) => [method, (payload?: unknown) => ipcRenderer.invoke(`${IPC_INVOKE_PREFIX}${method}`, payload)]),
);

const client = Object.freeze({ ...methods, on }) as unknown as RempartClient;
contextBridge.exposeInMainWorld('rempart', client);
