/**
 * The one IPC wrapper (GitHub Desktop's safeListener + VS Code's validatedIpcMain): every `rempart:<method>` handler
 * checks that the message comes from our window's main frame at our app origin, validates the payload against the
 * contract (contract/validate.ts), calls the host, and returns a Result (never throws: Electron keeps only `message`).
 * Imports only types from electron, so the decision logic is unit-tested with fake events.
 */
import type { IpcMain } from 'electron';
import { API_METHODS, IPC_INVOKE_PREFIX, type ApiMethod, type RempartApi } from '../contract/api.js';
import type { Result } from '../contract/errors.js';
import { validatePayload } from '../contract/validate.js';
import { appOriginOf } from './navigation-policy.js';

/** What we trust: the webContents of our window, and the origin its main frame must be showing. */
export interface TrustedRenderer {
  webContentsId: number;
  origin: string;
}

/** The parts of IpcMainInvokeEvent the check reads (a real event is structurally one). */
export interface SenderInfo {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export type SenderVerdict = 'ok' | 'no-window' | 'unknown-sender' | 'frame-gone' | 'not-main-frame' | 'wrong-origin';

export function checkSender(event: SenderInfo, trusted: TrustedRenderer | null): SenderVerdict {
  if (!trusted) return 'no-window';
  if (event.sender.id !== trusted.webContentsId) return 'unknown-sender';
  const frame = event.senderFrame;
  if (!frame) return 'frame-gone';
  if (frame.parent !== null) return 'not-main-frame';
  if (appOriginOf(frame.url) !== trusted.origin) return 'wrong-origin';
  return 'ok';
}

export interface IpcDeps {
  api: RempartApi;
  /** The current trusted renderer (null while no window exists). */
  trusted: () => TrustedRenderer | null;
  /** Refusals are logged (technical English, never the payload: it may hold secrets). */
  log?: (message: string) => void;
}

export async function handleInvoke(method: ApiMethod, event: SenderInfo, payload: unknown, deps: IpcDeps): Promise<Result<unknown>> {
  const verdict = checkSender(event, deps.trusted());
  if (verdict !== 'ok') {
    deps.log?.(`refused IPC ${method}: ${verdict}`);
    return { ok: false, error: { code: 'INVALID_INPUT', message: `untrusted IPC sender (${verdict})` } };
  }
  const checked = validatePayload(method, payload);
  if (!checked.ok) {
    deps.log?.(`refused IPC ${method}: ${checked.error.message}`);
    return checked;
  }
  try {
    const fn = deps.api[method] as (p: unknown) => Promise<Result<unknown>>;
    return await fn.call(deps.api, checked.value);
  } catch (err) {
    return { ok: false, error: { code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) } };
  }
}

export function channelFor(method: ApiMethod): string {
  return `${IPC_INVOKE_PREFIX}${method}`;
}

/** Registers one handler per API method; returns a function that removes them all. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, deps: IpcDeps): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(channelFor(method), (event, ...args: unknown[]) => {
      if (args.length > 1) return { ok: false, error: { code: 'INVALID_INPUT', message: 'at most one payload argument' } };
      return handleInvoke(method, event, args[0], deps);
    });
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(channelFor(method));
  };
}
