/**
 * The object the preload exposes as window.rempart, built over a minimal ipcRenderer-like port so it is unit-tested
 * without Electron: one function per API method (invoke `rempart:<method>` with at most one payload) plus on(event, fn)
 * filtered on the single `rempart:event` channel. Exposes no way to send on other channels.
 */
import {
  API_METHODS,
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_PREFIX,
  type EventName,
  type RempartClient,
  type RempartEvents,
} from '../contract/api.js';

type EventHandler = (event: unknown, message: { event?: unknown; payload?: unknown }) => void;

/** The parts of Electron's ipcRenderer the client uses. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: EventHandler): unknown;
  removeListener(channel: string, listener: EventHandler): unknown;
}

export function buildPreloadClient(ipc: IpcRendererPort): RempartClient {
  function on<E extends EventName>(event: E, listener: (payload: RempartEvents[E]) => void): () => void {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new TypeError(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const handler: EventHandler = (_e, message) => {
      if (message && message.event === event) listener(message.payload as RempartEvents[E]);
    };
    ipc.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipc.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  }
  const methods = Object.fromEntries(
    API_METHODS.map((method) => [method, (payload?: unknown) => ipc.invoke(`${IPC_INVOKE_PREFIX}${method}`, payload)]),
  );
  return Object.freeze({ ...methods, on }) as unknown as RempartClient;
}
