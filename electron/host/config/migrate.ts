/**
 * Migrations of settings.json, one function per version step. A file without "version" is v0, the prototype format:
 *   { lang, folders, exclude, usbDrive: { label, driveId, cron, staleDays }, webdav: { url, user, cron, staleHours }, notifications }
 * Each step takes the raw object of version N and returns version N+1; validation runs after the last step.
 */
import type { Schedule } from '../../contract/api.js';
import { HostError } from '../errors.js';
import { DEFAULT_RETENTION, DRILL_INTERVAL_DAYS, SETTINGS_VERSION, CLOUD_STALE_HOURS, USB_STALE_HOURS } from './defaults.js';

type Obj = Record<string, unknown>;

function cronToSchedule(expr: unknown): Schedule {
  if (typeof expr !== 'string' || !expr.trim()) return { kind: 'daily', time: '19:30', days: [] };
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(expr.trim());
  if (m) return { kind: 'daily', time: `${m[2].padStart(2, '0')}:${m[1].padStart(2, '0')}`, days: [] };
  return { kind: 'cron', expression: expr.trim() };
}

function v0ToV1(o: Obj): Obj {
  const out: Obj = {
    version: 1,
    language: o.lang === 'en' ? 'en' : 'fr',
    sources: Array.isArray(o.folders) ? o.folders : [],
    excludes: Array.isArray(o.exclude) ? o.exclude : [],
    alerts: { desktopNotifications: o.notifications !== false },
    drillIntervalDays: DRILL_INTERVAL_DAYS,
    startAtLogin: true,
  };
  const usb = o.usbDrive as Obj | undefined;
  if (usb && typeof usb === 'object') {
    out.usb = {
      id: 'usb',
      label: usb.label,
      driveId: usb.driveId,
      schedule: cronToSchedule(usb.cron),
      onPlug: true,
      staleAfterHours: typeof usb.staleDays === 'number' ? Math.round(usb.staleDays * 24) : USB_STALE_HOURS,
      retention: { ...DEFAULT_RETENTION },
      enabled: true,
    };
  }
  const dav = o.webdav as Obj | undefined;
  if (dav && typeof dav === 'object') {
    out.cloud = {
      id: 'cloud',
      url: dav.url,
      username: dav.user ?? '',
      schedule: cronToSchedule(dav.cron),
      staleAfterHours: typeof dav.staleHours === 'number' ? dav.staleHours : CLOUD_STALE_HOURS,
      retention: { ...DEFAULT_RETENTION },
      enabled: true,
    };
  }
  return out;
}

const STEPS: Record<number, (o: Obj) => Obj> = { 0: v0ToV1 };

/** Brings a raw settings object to the current version. Returns the migrated object and the version it came from. */
export function migrateSettings(raw: unknown): { value: Obj; from: number } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HostError('INVALID_CONFIG', 'settings.json: must hold a JSON object', { field: '' });
  }
  let o = raw as Obj;
  const from = o.version === undefined ? 0 : o.version;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) {
    throw new HostError('INVALID_CONFIG', 'version: must be a whole number', { field: 'version' });
  }
  if (from > SETTINGS_VERSION) {
    throw new HostError('INVALID_CONFIG', `version: settings written by a newer Rempart (v${from}, this one reads up to v${SETTINGS_VERSION})`, {
      field: 'version',
    });
  }
  for (let v = from; v < SETTINGS_VERSION; v++) o = STEPS[v](o);
  return { value: o, from };
}
