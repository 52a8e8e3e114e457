/**
 * Alerts: failure, stale, recovered, drill due, drive safe to remove, test. At most one per day (user's time zone) per target
 * and reason; each is recorded (alerts.jsonl, for getAlerts), shown through the Notifier, e-mailed when SMTP is set,
 * and pushed as an 'alert' event. All texts come from locales/<lang>/alerts.ts.
 */
import { appendFile, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { AlertDto, SettingsDto } from '../../contract/api.js';
import type { Clock } from '../../engine/base/clock.js';
import type { Notifier, SecretStore } from '../ports.js';
import { localParts } from '../schedule/zoned-time.js';
import { tr, type Lang } from '../texts.js';
import { sendMail } from './mailer.js';

export type AlertReason = AlertDto['reason'];

export interface AlertCenterDeps {
  dataDir: string;
  clock: Clock;
  timeZone: string;
  notifier: Notifier;
  secrets: SecretStore;
  settings: () => SettingsDto | null;
  emit: (a: AlertDto) => void;
  onError?: (err: unknown) => void;
}

export class AlertCenter {
  private readonly alerts: AlertDto[] = [];
  private readonly path: string;

  private constructor(private readonly deps: AlertCenterDeps) {
    this.path = join(deps.dataDir, 'alerts.jsonl');
  }

  static async open(deps: AlertCenterDeps): Promise<AlertCenter> {
    const c = new AlertCenter(deps);
    await mkdir(deps.dataDir, { recursive: true });
    try {
      for (const line of (await readFile(c.path, 'utf8')).split('\n')) {
        if (!line.trim()) continue;
        try {
          c.alerts.push(JSON.parse(line) as AlertDto);
        } catch {
          /* torn line */
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return c;
  }

  get lang(): Lang {
    return this.deps.settings()?.language ?? 'fr';
  }

  private day(at: number): string {
    const p = localParts(at, this.deps.timeZone);
    return `${p.year}-${p.month}-${p.day}`;
  }

  /** Newest first. */
  list(limit = 100): AlertDto[] {
    return this.alerts.slice(-limit).reverse();
  }

  last(targetId: string | null, reasons: AlertReason[]): AlertDto | null {
    for (let i = this.alerts.length - 1; i >= 0; i--) {
      const a = this.alerts[i];
      if (a.targetId === targetId && reasons.includes(a.reason)) return a;
    }
    return null;
  }

  /** True when a failure or stale alert was sent and no recovery since: the next success sends "recovered". */
  inAlarm(targetId: string): boolean {
    const a = this.last(targetId, ['failure', 'stale', 'recovered']);
    return !!a && a.reason !== 'recovered';
  }

  /** Raises an alert unless one with the same target and reason was raised today. Returns it, or null when deduplicated. */
  async raise(targetId: string | null, reason: AlertReason, title: string, body: string, opts: { force?: boolean } = {}): Promise<AlertDto | null> {
    const now = this.deps.clock.now();
    const prev = this.last(targetId, [reason]);
    if (!opts.force && prev && this.day(Date.parse(prev.at)) === this.day(now)) return null;
    const alert: AlertDto = { at: new Date(now).toISOString(), targetId, reason, title, body };
    this.alerts.push(alert);
    await appendFile(this.path, JSON.stringify(alert) + '\n');
    const settings = this.deps.settings();
    if (settings?.alerts.desktopNotifications !== false || reason === 'test') {
      try {
        this.deps.notifier.notify({ title, body, targetId, reason });
      } catch (err) {
        this.deps.onError?.(err);
      }
    }
    this.deps.emit(alert);
    if (settings?.alerts.email && reason !== 'drive-safe-to-remove') {
      this.email(title, body).catch((err) => this.deps.onError?.(err));
    }
    return alert;
  }

  /** Sends one e-mail (also used by "send a test"); throws with a coded error on failure. */
  async email(title: string, body: string): Promise<void> {
    const email = this.deps.settings()?.alerts.email;
    if (!email) return;
    const lang = this.lang;
    const password = await this.deps.secrets.get('smtp-password');
    const text = `${body}\n\n-- \n${tr(lang, 'email.footer', { host: hostname() })}\n`;
    await sendMail(email, password, tr(lang, 'email.subject', { title }), text);
  }
}
