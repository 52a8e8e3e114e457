/** Defaults from issue 4: cloud every day at closing time (19:30), stale after 26 h; USB at plug-in and daily, stale after 3 days. */
import type { AlertSettingsDto, CloudTargetDto, RetentionDto, Schedule, SettingsDto, UsbTargetDto } from '../../contract/api.js';

export const SETTINGS_VERSION = 1;

export const DEFAULT_RETENTION: RetentionDto = { keepDaily: 14, keepWeekly: 8, keepMonthly: 24, keepYearly: -1 };
/**
 * Before the per-day, per-week… rules, every restore point of the last 48 hours is kept: with several runs a day (hourly
 * schedules, « Sauvegarder maintenant », a drive plugged in twice), the morning's point must not be forgotten at the
 * evening's run, or a file made at 10 h and deleted at 15 h would be in no copy by night. Not a setting (Time Machine
 * keeps 24 hours of hourly points the same way).
 */
export const KEEP_EVERY_POINT_HOURS = 48;
export const CLOSING_TIME = { kind: 'daily', time: '19:30', days: [] } as const satisfies Schedule;
export const CLOUD_STALE_HOURS = 26;
export const USB_STALE_HOURS = 72;
export const DRILL_INTERVAL_DAYS = 30;

export function defaultUsbTarget(driveId: string, label: string): UsbTargetDto {
  return {
    id: 'usb',
    label,
    driveId,
    schedule: { kind: 'daily', time: CLOSING_TIME.time, days: [] },
    onPlug: true,
    staleAfterHours: USB_STALE_HOURS,
    retention: { ...DEFAULT_RETENTION },
    enabled: true,
  };
}

export function defaultCloudTarget(url: string, username: string, allowInsecureHttp?: boolean): CloudTargetDto {
  const t: CloudTargetDto = {
    id: 'cloud',
    url,
    username,
    schedule: { kind: 'daily', time: CLOSING_TIME.time, days: [] },
    staleAfterHours: CLOUD_STALE_HOURS,
    retention: { ...DEFAULT_RETENTION },
    enabled: true,
  };
  if (allowInsecureHttp) t.allowInsecureHttp = true;
  return t;
}

export const DEFAULT_ALERTS: AlertSettingsDto = { desktopNotifications: true };

export function defaultSettings(lang: 'fr' | 'en' = 'fr'): SettingsDto {
  return {
    version: SETTINGS_VERSION,
    language: lang,
    sources: [],
    excludes: [],
    alerts: { ...DEFAULT_ALERTS },
    drillIntervalDays: DRILL_INTERVAL_DAYS,
    startAtLogin: true,
  };
}
