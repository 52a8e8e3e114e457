/**
 * Triggers and queues. Each copy has its own queue: never two runs of one copy at once; copies requested together run in
 * one batch (one read of the folders). Triggers: the schedule (slots due in the same instant are merged), "back up now",
 * an enrolled drive plugged in while its copy is due or stale, and catch-up at start / wake-up (like anacron: a missed
 * planned slot runs once). A periodic check raises stale and drill-due alerts.
 */
import type { RunTrigger, TargetKind } from '../../contract/api.js';
import { HostError } from '../errors.js';
import { isDrillDue, isStale, lastSuccess, targetState } from '../journal/status-model.js';
import type { Scheduler } from '../schedule/scheduler.js';
import type { EnrolledDrive } from './drive-watch.js';
import { runBatch } from './run-batch.js';
import { alertDrillDue, alertStale } from './run-alerts.js';
import { memoOf, type RunContext } from './run-context.js';
import { closeTarget, openTarget, targetLabel, targetOf } from './target-open.js';

const KINDS: TargetKind[] = ['usb', 'cloud'];
/** A cloud copy that failed for a network reason is retried after these delays (then waits for its next slot). */
export const CLOUD_RETRY_DELAYS_MS = [15 * 60_000, 60 * 60_000, 3 * 3_600_000];
const TRANSIENT = new Set(['NETWORK_UNREACHABLE', 'NETWORK_STALLED', 'SERVER_ERROR', 'REPOSITORY_LOCKED']);
const WATCH_MS = 15 * 60_000;
const isBackup = (trigger: RunTrigger) => trigger !== 'drill' && trigger !== 'verify';

export class Runner {
  private readonly batches = new Set<Promise<void>>();
  private pendingSlots = new Set<TargetKind>();
  private flushTimer: (() => void) | null = null;
  private watchTimer: (() => void) | null = null;
  private stopped = false;
  private retryTimer: (() => void) | null = null;
  private retries = 0;

  constructor(
    private readonly ctx: RunContext,
    private readonly scheduler: Scheduler,
  ) {}

  enabled(kind: TargetKind): boolean {
    const t = targetOf(this.ctx.settings(), kind);
    return !!t && t.enabled && (this.ctx.settings()?.sources.length ?? 0) > 0;
  }

  /** Starts the requested copies that are not already running. */
  request(kinds: TargetKind[], trigger: RunTrigger): { started: TargetKind[]; busy: TargetKind[] } {
    const wanted = [...new Set(kinds)].filter((k) => this.enabled(k));
    const busy = wanted.filter((k) => this.ctx.live.has(k));
    const started = wanted.filter((k) => !this.ctx.live.has(k));
    if (started.length === 0 || this.stopped) return { started: [], busy };
    const controller = new AbortController();
    // Reserve the queue slots synchronously so a second trigger in the same tick sees them busy.
    for (const k of started) this.ctx.live.set(k, { kind: k, runId: '', controller, progress: null, cancelled: false });
    const p = runBatch(this.ctx, started, trigger, controller)
      .then((requeue) => {
        if (started.includes('cloud') && !requeue.includes('cloud')) this.planCloudRetry(trigger);
        if (requeue.length > 0) this.request(requeue, trigger);
      })
      .catch((err) => {
        for (const k of started) this.ctx.live.delete(k);
        this.ctx.log(err);
      })
      .finally(() => {
        this.batches.delete(p);
        void this.checkAlerts();
      });
    this.batches.add(p);
    return { started, busy };
  }

  /** After a cloud run: a transient network failure is retried later (at most CLOUD_RETRY_DELAYS_MS.length times in a row). */
  private planCloudRetry(trigger: RunTrigger): void {
    const t = targetOf(this.ctx.settings(), 'cloud');
    if (!t) return;
    const last = this.ctx.journal.entries({ targetId: t.id }).filter((e) => isBackup(e.trigger)).pop();
    this.retryTimer?.();
    this.retryTimer = null;
    if (trigger !== 'catch-up') this.retries = 0; // a fresh attempt (schedule, manual) starts a new series
    if (!last || last.outcome !== 'failed' || !last.error || !(TRANSIENT.has(last.error.code) || last.error.retryable)) {
      if (last && (last.outcome === 'success' || last.outcome === 'partial')) this.retries = 0;
      return;
    }
    const delay = CLOUD_RETRY_DELAYS_MS[this.retries];
    if (delay === undefined || this.stopped) return;
    this.retries++;
    this.retryTimer = this.ctx.clock.setTimer(delay, () => {
      this.retryTimer = null;
      this.request(['cloud'], 'catch-up');
    });
  }

  /** Cancels the run of one copy (or all). A partner copy sharing the batch is restarted on its own. */
  cancel(kind?: TargetKind): boolean {
    let any = false;
    for (const live of this.ctx.live.values()) {
      if (kind && live.kind !== kind) continue;
      live.cancelled = true;
      live.controller.abort(new HostError('CANCELLED', 'cancelled by the user'));
      any = true;
    }
    return any;
  }

  async idle(): Promise<void> {
    while (this.batches.size > 0) await Promise.allSettled([...this.batches]);
  }

  /** Reads the number of restore points (and free space) of each reachable copy, for the dashboard after a start. */
  refreshFacts(kinds: TargetKind[] = KINDS): void {
    for (const kind of kinds) {
      const t = targetOf(this.ctx.settings(), kind);
      if (!t || this.ctx.live.has(kind) || (t.kind === 'usb' && this.ctx.drives.get(t.driveId) === null)) continue;
      const p = (async () => {
        const opened = await openTarget(t, { secrets: this.ctx.secrets, drives: this.ctx.drives, clock: this.ctx.clock, dataDir: this.ctx.dataDir });
        try {
          const memo = memoOf(this.ctx, kind);
          memo.snapshotCount = (await opened.repo.listSnapshots()).length;
          memo.freeBytes = (await opened.store.space()).free;
        } finally {
          await closeTarget(opened);
        }
        this.ctx.changed();
      })()
        .catch(() => undefined)
        .finally(() => this.batches.delete(p));
      this.batches.add(p);
    }
  }

  /** (Re)arms the schedules from the settings. */
  configure(): void {
    for (const kind of KINDS) {
      const t = targetOf(this.ctx.settings(), kind);
      if (t && t.enabled) this.scheduler.set(kind, t.schedule, () => this.onSlot(kind));
      else this.scheduler.remove(kind);
    }
    if (!this.watchTimer && !this.stopped) this.armWatch();
  }

  private onSlot(kind: TargetKind): void {
    this.pendingSlots.add(kind);
    if (this.flushTimer) return;
    this.flushTimer = this.ctx.clock.setTimer(0, () => {
      this.flushTimer = null;
      const kinds = [...this.pendingSlots].filter((k) => k !== 'usb' || this.usbPresent());
      this.pendingSlots.clear();
      this.request(kinds, 'schedule'); // an absent drive runs when plugged in (its copy is then due)
    });
  }

  private usbPresent(): boolean {
    const t = targetOf(this.ctx.settings(), 'usb');
    return !!t && t.kind === 'usb' && this.ctx.drives.get(t.driveId) !== null;
  }

  /** Due: never done, stale, or a planned slot passed since the last attempt. */
  due(kind: TargetKind): boolean {
    const t = targetOf(this.ctx.settings(), kind);
    if (!t) return false;
    const entries = this.ctx.journal.entries({ targetId: t.id });
    const backups = entries.filter((e) => isBackup(e.trigger));
    const lastStart = backups.length ? Date.parse(backups[backups.length - 1].startedAt) : null;
    if (lastStart === null) return true;
    const lastOutcome = backups[backups.length - 1].outcome;
    // Unplugged mid-run, killed, or cancelled: no new copy was made, so the next plug-in makes it.
    if (lastOutcome === 'failed' || lastOutcome === 'interrupted' || lastOutcome === 'cancelled') return true;
    if (isStale({ entries, staleAfterHours: t.staleAfterHours, now: this.ctx.clock.now() })) return true;
    const slot = this.scheduler.lastSlot(kind);
    return slot !== null && slot > lastStart;
  }

  /** At start or wake-up: each copy whose last planned slot was missed runs once (USB only if its drive is there). */
  catchUp(): TargetKind[] {
    const kinds: TargetKind[] = [];
    for (const kind of KINDS) {
      if (!this.enabled(kind) || this.ctx.live.has(kind)) continue;
      const t = targetOf(this.ctx.settings(), kind)!;
      const backups = this.ctx.journal.entries({ targetId: t.id }).filter((e) => isBackup(e.trigger));
      const lastStart = backups.length ? Date.parse(backups[backups.length - 1].startedAt) : null;
      const slot = this.scheduler.lastSlot(kind);
      if (kind === 'usb' && !this.usbPresent()) continue; // runs when plugged in: its copy is then due
      const missed = slot !== null && (lastStart === null || lastStart < slot);
      if (missed || (kind === 'usb' && this.due('usb'))) kinds.push(kind);
    }
    return this.request(kinds, 'catch-up').started;
  }

  /** An enrolled drive appeared or went away. */
  onDrive(driveId: string, drive: EnrolledDrive | null): void {
    const t = targetOf(this.ctx.settings(), 'usb');
    if (!t || t.kind !== 'usb' || t.driveId !== driveId) return;
    const memo = memoOf(this.ctx, 'usb');
    memo.available = drive !== null;
    if (drive) memo.freeBytes = drive.freeBytes;
    if (drive && t.enabled && t.onPlug && this.due('usb')) this.request(['usb'], 'plug');
    else if (drive) this.refreshFacts(['usb']);
    this.ctx.changed();
  }

  private armWatch(): void {
    this.watchTimer = this.ctx.clock.setTimer(WATCH_MS, () => {
      this.watchTimer = null;
      void this.checkAlerts().finally(() => {
        if (!this.stopped) this.armWatch();
      });
    });
  }

  /** Stale alerts (once per day per copy) and the monthly restore-drill reminder. */
  async checkAlerts(): Promise<void> {
    const s = this.ctx.settings();
    if (!s || this.stopped) return;
    let drillDue = false;
    for (const kind of KINDS) {
      const t = targetOf(s, kind);
      if (!t || !t.enabled || this.ctx.live.has(kind)) continue;
      const entries = this.ctx.journal.entries({ targetId: t.id });
      const now = this.ctx.clock.now();
      const available = t.kind === 'usb' ? this.ctx.drives.get(t.driveId) !== null : memoOf(this.ctx, kind).available;
      const facts = {
        id: t.id, kind, label: targetLabel(t), configured: true, staleAfterHours: t.staleAfterHours, drillIntervalDays: s.drillIntervalDays,
        entries, running: false, progress: null, available, nextRunAt: null, snapshotCount: 0, freeBytes: null, now,
      };
      const state = targetState(facts).state;
      const ok = lastSuccess(entries);
      if (ok && (state === 'stale' || (state === 'absent' && isStale(facts)))) {
        await alertStale(this.ctx, t, Date.parse(ok.endedAt ?? ok.startedAt)).catch(this.ctx.log);
      }
      if (isDrillDue(entries, s.drillIntervalDays, now)) drillDue = true;
    }
    if (drillDue) {
      const prev = this.ctx.alerts.last(null, ['drill-due']);
      if (!prev || this.ctx.clock.now() - Date.parse(prev.at) > 7 * 86_400_000) await alertDrillDue(this.ctx).catch(this.ctx.log);
    }
    this.ctx.changed();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.flushTimer?.();
    this.watchTimer?.();
    this.retryTimer?.();
    this.cancel();
    await this.idle();
  }
}
