/**
 * Validation of settings.json (and of settings patches from the UI). Each problem names the offending field:
 * HostError INVALID_CONFIG "cloud.staleAfterHours: must be a number between 1 and 8760".
 */
import type { AlertSettingsDto, CloudTargetDto, RetentionDto, Schedule, SettingsDto, UsbTargetDto, Weekday } from '../../contract/api.js';
import type { ErrorCode } from '../../contract/errors.js';
import { HostError } from '../errors.js';
import { scheduleToCron } from '../schedule/cron-plan.js';

type Obj = Record<string, unknown>;

class Checker {
  constructor(private readonly code: ErrorCode) {}

  fail(field: string, problem: string): never {
    throw new HostError(this.code, `${field}: ${problem}`, { field });
  }
  obj(v: unknown, field: string, allowed: string[]): Obj {
    if (!v || typeof v !== 'object' || Array.isArray(v)) this.fail(field, 'must be an object');
    for (const k of Object.keys(v as Obj)) if (!allowed.includes(k)) this.fail(field ? `${field}.${k}` : k, 'unknown field');
    return v as Obj;
  }
  str(v: unknown, field: string, max = 4096, min = 0): string {
    if (typeof v !== 'string') this.fail(field, 'must be a string');
    if ((v as string).length < min) this.fail(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
    if ((v as string).length > max) this.fail(field, `must be at most ${max} characters`);
    if ((v as string).includes('\u0000')) this.fail(field, 'must not contain NUL characters');
    return v as string;
  }
  int(v: unknown, field: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(field, `must be a whole number between ${min} and ${max}`);
    return v as number;
  }
  bool(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, 'must be true or false');
    return v as boolean;
  }
  strList(v: unknown, field: string, maxItems = 200): string[] {
    if (!Array.isArray(v)) this.fail(field, 'must be a list');
    const arr = v as unknown[];
    if (arr.length > maxItems) this.fail(field, `must have at most ${maxItems} items`);
    return arr.map((x, i) => this.str(x, `${field}[${i}]`, 4096, 1));
  }
  url(v: unknown, field: string): string {
    const s = this.str(v, field, 2048, 1);
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return this.fail(field, 'must be a valid http(s) address');
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') this.fail(field, 'must start with https://');
    if (u.username || u.password) this.fail(field, 'must not contain a user name or password');
    return s;
  }
  days(v: unknown, field: string): Weekday[] {
    if (!Array.isArray(v)) this.fail(field, 'must be a list of weekdays (0 = Sunday … 6 = Saturday)');
    const out = (v as unknown[]).map((d, i) => this.int(d, `${field}[${i}]`, 0, 6) as Weekday);
    return [...new Set(out)].sort();
  }
  schedule(v: unknown, field: string): Schedule {
    const o = v as Obj;
    const kind = o && typeof o === 'object' ? o.kind : undefined;
    let s: Schedule;
    if (kind === 'daily') {
      this.obj(v, field, ['kind', 'time', 'days']);
      const time = this.str(o.time, `${field}.time`, 5);
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) this.fail(`${field}.time`, 'must be HH:MM (00:00 to 23:59)');
      s = { kind, time, days: this.days(o.days, `${field}.days`) };
    } else if (kind === 'hourly') {
      this.obj(v, field, ['kind', 'from', 'to', 'days', 'minute']);
      const from = this.int(o.from, `${field}.from`, 0, 23);
      const to = this.int(o.to, `${field}.to`, 0, 23);
      if (to < from) this.fail(`${field}.to`, 'must not be before "from"');
      s = { kind, from, to, days: this.days(o.days, `${field}.days`), minute: this.int(o.minute, `${field}.minute`, 0, 59) };
    } else if (kind === 'cron') {
      this.obj(v, field, ['kind', 'expression']);
      s = { kind, expression: this.str(o.expression, `${field}.expression`, 200, 1).trim() };
    } else {
      return this.fail(`${field}.kind`, 'must be "daily", "hourly" or "cron"');
    }
    try {
      scheduleToCron(s);
    } catch (err) {
      this.fail(field, (err as Error).message);
    }
    return s;
  }
  retention(v: unknown, field: string): RetentionDto {
    const o = this.obj(v, field, ['keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly']);
    return {
      keepDaily: this.int(o.keepDaily, `${field}.keepDaily`, 0, 3650),
      keepWeekly: this.int(o.keepWeekly, `${field}.keepWeekly`, 0, 520),
      keepMonthly: this.int(o.keepMonthly, `${field}.keepMonthly`, 0, 1200),
      keepYearly: this.int(o.keepYearly, `${field}.keepYearly`, -1, 100),
    };
  }
  optUrl(o: Obj, key: string, field: string): string | undefined {
    return o[key] === undefined ? undefined : this.url(o[key], `${field}.${key}`);
  }
  usb(v: unknown, field: string): UsbTargetDto {
    const o = this.obj(v, field, ['id', 'label', 'driveId', 'schedule', 'onPlug', 'staleAfterHours', 'retention', 'pingUrl', 'enabled']);
    const t: UsbTargetDto = {
      id: this.str(o.id, `${field}.id`, 64, 1),
      label: this.str(o.label, `${field}.label`, 100, 1),
      driveId: this.str(o.driveId, `${field}.driveId`, 128, 1),
      schedule: this.schedule(o.schedule, `${field}.schedule`),
      onPlug: this.bool(o.onPlug, `${field}.onPlug`),
      staleAfterHours: this.int(o.staleAfterHours, `${field}.staleAfterHours`, 1, 8760),
      retention: this.retention(o.retention, `${field}.retention`),
      enabled: this.bool(o.enabled, `${field}.enabled`),
    };
    const ping = this.optUrl(o, 'pingUrl', field);
    if (ping) t.pingUrl = ping;
    return t;
  }
  cloud(v: unknown, field: string): CloudTargetDto {
    const o = this.obj(v, field, [
      'id', 'url', 'username', 'schedule', 'staleAfterHours', 'retention', 'bandwidthLimitKBps', 'allowInsecureHttp', 'pingUrl', 'enabled',
    ]);
    const t: CloudTargetDto = {
      id: this.str(o.id, `${field}.id`, 64, 1),
      url: this.url(o.url, `${field}.url`),
      username: this.str(o.username, `${field}.username`, 256),
      schedule: this.schedule(o.schedule, `${field}.schedule`),
      staleAfterHours: this.int(o.staleAfterHours, `${field}.staleAfterHours`, 1, 8760),
      retention: this.retention(o.retention, `${field}.retention`),
      enabled: this.bool(o.enabled, `${field}.enabled`),
    };
    if (o.bandwidthLimitKBps !== undefined) t.bandwidthLimitKBps = this.int(o.bandwidthLimitKBps, `${field}.bandwidthLimitKBps`, 0, 10_000_000);
    if (o.allowInsecureHttp !== undefined) t.allowInsecureHttp = this.bool(o.allowInsecureHttp, `${field}.allowInsecureHttp`);
    const ping = this.optUrl(o, 'pingUrl', field);
    if (ping) t.pingUrl = ping;
    return t;
  }
  alerts(v: unknown, field: string): AlertSettingsDto {
    const o = this.obj(v, field, ['desktopNotifications', 'email']);
    const a: AlertSettingsDto = { desktopNotifications: this.bool(o.desktopNotifications, `${field}.desktopNotifications`) };
    if (o.email !== undefined) {
      const f = `${field}.email`;
      const e = this.obj(o.email, f, ['to', 'from', 'host', 'port', 'secure', 'username']);
      const email = /^[^\s@]+@[^\s@]+$/;
      const to = this.str(e.to, `${f}.to`, 320, 3);
      const from = this.str(e.from, `${f}.from`, 320, 3);
      if (!email.test(to)) this.fail(`${f}.to`, 'must be an e-mail address');
      if (!email.test(from)) this.fail(`${f}.from`, 'must be an e-mail address');
      a.email = {
        to,
        from,
        host: this.str(e.host, `${f}.host`, 255, 1),
        port: this.int(e.port, `${f}.port`, 1, 65535),
        secure: this.bool(e.secure, `${f}.secure`),
      };
      if (e.username !== undefined) a.email.username = this.str(e.username, `${f}.username`, 320);
    }
    return a;
  }
}

const TOP_FIELDS = ['version', 'language', 'sources', 'excludes', 'usb', 'cloud', 'alerts', 'drillIntervalDays', 'startAtLogin'];

/** Validates a whole settings object (current version). Returns a fresh copy. */
export function validateSettings(value: unknown, code: ErrorCode = 'INVALID_CONFIG'): SettingsDto {
  const c = new Checker(code);
  const o = c.obj(value, '', TOP_FIELDS);
  const language = o.language;
  if (language !== 'fr' && language !== 'en') c.fail('language', 'must be "fr" or "en"');
  const s: SettingsDto = {
    version: c.int(o.version, 'version', 1, 1),
    language: language as 'fr' | 'en',
    sources: c.strList(o.sources, 'sources'),
    excludes: c.strList(o.excludes, 'excludes', 1000),
    alerts: c.alerts(o.alerts, 'alerts'),
    drillIntervalDays: c.int(o.drillIntervalDays, 'drillIntervalDays', 1, 365),
    startAtLogin: c.bool(o.startAtLogin, 'startAtLogin'),
  };
  if (o.usb !== undefined) s.usb = c.usb(o.usb, 'usb');
  if (o.cloud !== undefined) s.cloud = c.cloud(o.cloud, 'cloud');
  return s;
}

/** Applies and validates a patch from the UI (INVALID_INPUT on a bad field). A `null` target removes it. */
export function applySettingsPatch(current: SettingsDto, patch: unknown): SettingsDto {
  const c = new Checker('INVALID_INPUT');
  const p = c.obj(patch, '', TOP_FIELDS.filter((f) => f !== 'version'));
  const merged: Obj = { ...current };
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    if (v === null && (k === 'usb' || k === 'cloud')) delete merged[k];
    else merged[k] = v;
  }
  return validateSettings(merged, 'INVALID_INPUT');
}
