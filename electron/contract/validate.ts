/**
 * Payload validation at the API edge: one strict schema per RempartApi method. Both the Electron IPC wrapper
 * (shell/ipc.ts) and the loopback bridge (host/bridge) call validatePayload before anything reaches the host.
 * Strings are length-capped, paths must be absolute, enums are checked, unknown keys are refused.
 * The returned value is a fresh copy built from the schema (never the caller's object).
 * This file imports only the contract.
 */
import { API_METHODS, type ApiMethod, type ApiPayload } from './api.js';
import type { Result } from './errors.js';
import {
  absPath,
  arr,
  bool,
  byKind,
  httpUrl,
  none,
  num,
  obj,
  oneKeyOf,
  oneOf,
  SchemaError,
  str,
  type Schema,
} from './validate-helpers.js';

const MAX_LIST = 10_000;
const id = str({ min: 1, max: 128, pattern: /^[A-Za-z0-9._:-]+$/, patternName: 'letters, digits, . _ : -' });
const label = str({ min: 1, max: 200 });
const username = str({ min: 1, max: 256 });
const secretText = str({ min: 1, max: 1024 });
const pattern = str({ min: 1, max: 1024 });
const kind = oneOf(['usb', 'cloud'] as const);
const weekday = oneOf([0, 1, 2, 3, 4, 5, 6] as const);
const language = oneOf(['fr', 'en'] as const);
const hours = num({ min: 1, max: 24 * 366 });

const schedule = byKind({
  daily: obj({
    kind: oneOf(['daily'] as const),
    time: str({ min: 5, max: 5, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, patternName: 'a time HH:MM' }),
    days: arr(weekday, 7),
  }),
  hourly: obj({
    kind: oneOf(['hourly'] as const),
    from: num({ min: 0, max: 23 }),
    to: num({ min: 0, max: 23 }),
    days: arr(weekday, 7),
    minute: num({ min: 0, max: 59 }),
  }),
  cron: obj({
    kind: oneOf(['cron'] as const),
    expression: str({ min: 1, max: 120, pattern: /^[0-9*,/\- A-Za-z?LW#]+$/, patternName: 'a cron expression' }),
  }),
});

const keep = num({ min: 0, max: 10_000 });
const retention = obj({ keepDaily: keep, keepWeekly: keep, keepMonthly: keep, keepYearly: num({ min: -1, max: 10_000 }) });

const usbTarget = obj(
  {
    id,
    label,
    driveId: id,
    schedule,
    onPlug: bool,
    staleAfterHours: hours,
    retention,
    enabled: bool,
  },
  { pingUrl: httpUrl() },
);

const cloudTarget = obj(
  {
    id,
    url: httpUrl(),
    username,
    schedule,
    staleAfterHours: hours,
    retention,
    enabled: bool,
  },
  { bandwidthLimitKBps: num({ min: 0, max: 10_000_000 }), allowInsecureHttp: bool, pingUrl: httpUrl() },
);

const email = str({ min: 3, max: 320, pattern: /^[^\s@]+@[^\s@]+$/, patternName: 'an e-mail address' });
const alerts = obj(
  { desktopNotifications: bool },
  {
    email: obj(
      {
        to: email,
        from: email,
        host: str({ min: 1, max: 253, pattern: /^[A-Za-z0-9.\-[\]:]+$/, patternName: 'a host name' }),
        port: num({ min: 1, max: 65535 }),
        secure: bool,
      },
      { username },
    ),
  },
);

const settingsPatch = obj(
  {},
  {
    language,
    sources: arr(absPath(), 1000),
    excludes: arr(pattern, 1000),
    usb: usbTarget,
    cloud: cloudTarget,
    alerts,
    drillIntervalDays: num({ min: 1, max: 3660 }),
    startAtLogin: bool,
  },
);

const webdavTest = obj({ url: httpUrl(), username, password: secretText }, { allowInsecureHttp: bool });

const secret = oneKeyOf({
  passphrase: obj({ passphrase: secretText }),
  recoveryKey: obj({ recoveryKey: str({ min: 1, max: 512 }) }),
});

const restoreFrom = byKind({
  usb: obj({ kind: oneOf(['usb'] as const) }),
  cloud: obj({ kind: oneOf(['cloud'] as const) }),
  folder: obj({ kind: oneOf(['folder'] as const), path: absPath() }),
  webdav: obj(
    { kind: oneOf(['webdav'] as const), url: httpUrl(), username, password: secretText },
    { allowInsecureHttp: bool },
  ),
});

const restoreTarget = byKind({
  original: obj({ kind: oneOf(['original'] as const) }),
  folder: obj({ kind: oneOf(['folder'] as const), path: absPath() }),
});

const snapshotId = str({ min: 1, max: 128, pattern: /^[A-Za-z0-9]+$/, patternName: 'a snapshot id' });
const limit = num({ min: 1, max: MAX_LIST });

/** One schema per method; the compiler checks that each one yields exactly that method's payload type. */
const SCHEMAS: { [M in ApiMethod]: Schema<ApiPayload<M>> } = {
  getStatus: none,
  getSettings: none,
  updateSettings: settingsPatch,
  suggestSources: none,
  listDrives: none,
  testWebdav: webdavTest,
  completeSetup: obj(
    { sources: arr(absPath(), 1000), excludes: arr(pattern, 1000), passphrase: secretText, language },
    { usb: obj({ mountPath: absPath(), label }), cloud: webdavTest },
  ),
  setWebdavPassword: obj({ password: secretText }),
  backupNow: obj({}, { target: kind }),
  cancelRun: obj({}, { target: kind }),
  getHistory: obj({}, { target: kind, limit }),
  getAlerts: obj({}, { limit }),
  openRestoreSource: obj({ from: restoreFrom }, { secret }),
  listRestorePoints: obj({ sessionId: id }),
  listRestoreFiles: obj({ sessionId: id, snapshotId }, { secret }),
  startRestore: obj({
    sessionId: id,
    snapshotId,
    include: arr(str({ min: 1, max: 4096 }), MAX_LIST),
    target: restoreTarget,
    secret,
  }),
  startDrill: obj({ target: kind, secret }),
  changePassphrase: obj({ current: secret, next: secretText }),
  sendTestEmail: none,
  getMonthlyReport: obj({
    month: str({ min: 7, max: 7, pattern: /^\d{4}-(0[1-9]|1[0-2])$/, patternName: 'a month YYYY-MM' }),
  }),
  openPath: obj({ path: absPath() }),
};

export function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && (API_METHODS as readonly string[]).includes(value);
}

/**
 * Checks a payload for `method`. On success the value is a fresh copy containing only known fields.
 * Failures are INVALID_INPUT with the offending field in details (never the value: it may be a secret).
 */
export function validatePayload<M extends ApiMethod>(method: M, payload: unknown): Result<ApiPayload<M>>;
export function validatePayload(method: string, payload: unknown): Result<unknown>;
export function validatePayload(method: string, payload: unknown): Result<unknown> {
  if (!isApiMethod(method)) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `unknown API method`, details: { method: String(method).slice(0, 64) } } };
  }
  try {
    const schema = SCHEMAS[method] as Schema<unknown>;
    return { ok: true, value: schema(payload, 'payload') };
  } catch (e) {
    if (e instanceof SchemaError) {
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: `${method}: ${e.message}`, details: { method, field: e.field, problem: e.problem } },
      };
    }
    throw e;
  }
}
