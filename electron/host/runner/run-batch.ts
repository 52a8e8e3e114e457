/**
 * One backup run for one or both copies. Both copies in one batch share ONE engine backup() call (the folders are read
 * and chunked once); each copy has its own journal entry, verification, retention, pings and alerts, and one failing
 * never fails the other. After a successful run: the new packs are re-checked, retention is applied, and once a week
 * a sample of older packs is re-checked.
 */
import { randomUUID } from 'node:crypto';
import type { JournalEntryDto, RunTrigger, TargetKind, VerificationDto } from '../../contract/api.js';
import type { ErrorInfo } from '../../contract/errors.js';
import { errorInfo } from '../errors.js';
import { runBackup, type BackupOutcome } from '../engine-port.js';
import { sendPing } from '../alerts/ping.js';
import { alertFailure, alertRecovered, alertSafeToRemove } from './run-alerts.js';
import { closeTarget, openTarget, retentionPolicy, targetOf, type OpenedTarget, type TargetConfig } from './target-open.js';
import { memoOf, type RunContext } from './run-context.js';

const WEEK = 7 * 86_400_000;

interface Slot {
  kind: TargetKind;
  target: TargetConfig;
  entry: JournalEntryDto;
  opened: OpenedTarget | null;
}

export async function runBatch(ctx: RunContext, kinds: TargetKind[], trigger: RunTrigger, controller: AbortController): Promise<TargetKind[]> {
  const settings = ctx.settings();
  const slots: Slot[] = [];
  for (const kind of kinds) {
    const target = targetOf(settings, kind);
    if (!target) continue;
    const runId = randomUUID();
    const reserved = ctx.live.get(kind);
    const cancelled = reserved?.controller === controller && reserved.cancelled; // cancelled before it really started
    ctx.live.set(kind, { kind, runId, controller, progress: null, cancelled });
    const entry = await ctx.journal.start({
      runId, targetId: target.id, kind, trigger, startedAt: new Date(ctx.clock.now()).toISOString(),
    });
    slots.push({ kind, target, entry, opened: null });
    void sendPing(target.pingUrl, 'start');
  }
  ctx.changed();
  const requeue: TargetKind[] = [];
  try {
    for (const s of slots) {
      try {
        s.opened = await openTarget(s.target, { secrets: ctx.secrets, drives: ctx.drives, clock: ctx.clock, dataDir: ctx.dataDir }, undefined, controller.signal);
        memoOf(ctx, s.kind).available = true;
      } catch (err) {
        await finishFailed(ctx, s, errorInfo(err));
      }
    }
    const open = slots.filter((s) => s.opened);
    if (open.length === 0) return requeue;
    let outcomes: BackupOutcome[];
    try {
      outcomes = await runBackup({
        repositories: open.map((s) => s.opened!.repo),
        sources: settings!.sources,
        excludes: settings!.excludes,
        signal: controller.signal,
        clock: ctx.clock,
        onProgress: (p) => {
          for (const s of open) {
            const live = ctx.live.get(s.kind);
            if (live) live.progress = { ...p };
            ctx.emitProgress(s.kind, s.target.id, { ...p });
          }
        },
      });
    } catch (err) {
      const info = errorInfo(err);
      outcomes = open.map((s) => ({ repositoryId: s.opened!.repo.id, ok: false as const, error: info }));
    }
    for (let i = 0; i < open.length; i++) {
      const s = open[i];
      const o = outcomes.length === open.length ? outcomes[i] : outcomes.find((x) => x.repositoryId === s.opened!.repo.id);
      const live = ctx.live.get(s.kind);
      if (!o || !o.ok) {
        const info: ErrorInfo = o && !o.ok ? o.error : { code: 'UNKNOWN', message: 'no outcome from the engine' };
        if (controller.signal.aborted && live && !live.cancelled) {
          // Its partner in the shared run was cancelled: close this attempt and start the copy again on its own.
          requeue.push(s.kind);
          await finishFailed(ctx, s, { code: 'CANCELLED', message: 'stopped because the other copy of the same run was cancelled; restarted on its own' });
        } else await finishFailed(ctx, s, controller.signal.aborted ? { code: 'CANCELLED', message: 'cancelled by the user' } : info);
        continue;
      }
      await finishSuccess(ctx, s, o);
    }
  } finally {
    for (const s of slots) await closeTarget(s.opened);
    // A drive that failed may have gone: re-read the mounts now so plugging it back is seen as a plug-in.
    if (slots.some((s) => s.kind === 'usb')) await ctx.drives.poll().catch(ctx.log);
    for (const s of slots) ctx.live.delete(s.kind);
    ctx.changed();
  }
  return requeue;
}

const UNREACHABLE = new Set(['NETWORK_UNREACHABLE', 'NETWORK_STALLED', 'SERVER_ERROR', 'SERVER_NOT_FOUND', 'TLS_ERROR']);

async function finishFailed(ctx: RunContext, s: Slot, error: ErrorInfo): Promise<void> {
  const cancelled = error.code === 'CANCELLED';
  if (s.kind === 'cloud' && UNREACHABLE.has(error.code)) memoOf(ctx, 'cloud').available = false;
  await ctx.journal.finish({ ...s.entry, endedAt: new Date(ctx.clock.now()).toISOString(), outcome: cancelled ? 'cancelled' : 'failed', error });
  if (cancelled) return;
  void sendPing(s.target.pingUrl, 'fail');
  await alertFailure(ctx, s.target, error).catch(ctx.log);
}

async function finishSuccess(ctx: RunContext, s: Slot, o: Extract<BackupOutcome, { ok: true }>): Promise<void> {
  const repo = s.opened!.repo;
  const live = ctx.live.get(s.kind);
  const progress = (phase: 'verifying' | 'pruning') => {
    const p = { ...(live?.progress ?? emptyProgress()), phase };
    if (live) live.progress = p;
    ctx.emitProgress(s.kind, s.target.id, p);
  };
  const now = () => new Date(ctx.clock.now()).toISOString();
  progress('verifying');
  let verification: VerificationDto;
  let error: ErrorInfo | null = null;
  try {
    const report = await repo.check({ packs: o.newPacks });
    verification = { at: now(), kind: 'after-run', ok: report.ok, detail: `${report.packsChecked} packs, ${report.bytesChecked} bytes` };
    if (!report.ok) {
      verification.detail = report.problems.map((p) => `${p.kind} ${p.path}: ${p.message}`).join('; ').slice(0, 2000);
      error = { code: 'DATA_CORRUPT', message: `verification after the run failed: ${verification.detail}` };
    }
  } catch (err) {
    error = errorInfo(err);
    verification = { at: now(), kind: 'after-run', ok: false, detail: error.message };
  }
  if (!error) {
    progress('pruning');
    try {
      const r = await repo.forget(retentionPolicy(s.target.retention), { prune: true });
      memoOf(ctx, s.kind).snapshotCount = r.kept.length;
    } catch (err) {
      ctx.log(err); // retention failing never turns a good copy into a failed one; it is retried next run
      memoOf(ctx, s.kind).snapshotCount = await repo.listSnapshots().then((x) => x.length, () => memoOf(ctx, s.kind).snapshotCount);
    }
    memoOf(ctx, s.kind).freeBytes = await s.opened!.store.space().then((x) => x.free, () => null);
  }
  const sum = o.snapshot.summary;
  const entry: JournalEntryDto = {
    ...s.entry,
    endedAt: now(),
    outcome: error ? 'failed' : o.skipped.length > 0 ? 'partial' : 'success',
    files: sum.files,
    bytesRead: sum.bytesRead,
    bytesStored: sum.bytesStored,
    snapshotId: o.snapshot.id,
    skipped: o.skipped.slice(0, 200).map((x) => ({ path: x.path, reason: x.reason })),
    error,
    verification,
  };
  await ctx.journal.finish(entry);
  if (error) {
    void sendPing(s.target.pingUrl, 'fail');
    await alertFailure(ctx, s.target, error).catch(ctx.log);
    return;
  }
  void sendPing(s.target.pingUrl, 'success');
  await alertRecovered(ctx, s.target).catch(ctx.log);
  await weeklySample(ctx, s).catch(ctx.log);
  if (s.kind === 'usb') await alertSafeToRemove(ctx, s.target).catch(ctx.log);
}

async function weeklySample(ctx: RunContext, s: Slot): Promise<void> {
  const entries = ctx.journal.entries({ targetId: s.target.id });
  const last = entries.filter((e) => e.verification?.kind === 'sample').pop();
  const first = entries.find((e) => e.outcome === 'success' || e.outcome === 'partial');
  const since = last ? Date.parse(last.verification!.at) : first ? Date.parse(first.startedAt) : ctx.clock.now();
  if (ctx.clock.now() - since < WEEK) return;
  const start = new Date(ctx.clock.now()).toISOString();
  const entry = await ctx.journal.start({ runId: randomUUID(), targetId: s.target.id, kind: s.kind, trigger: 'verify', startedAt: start });
  let verification: VerificationDto;
  let error: ErrorInfo | null = null;
  try {
    const r = await s.opened!.repo.check({ sample: ctx.sampleFraction });
    verification = { at: new Date(ctx.clock.now()).toISOString(), kind: 'sample', ok: r.ok, detail: `${r.packsChecked} packs re-checked` };
    if (!r.ok) error = { code: 'DATA_CORRUPT', message: r.problems.map((p) => `${p.kind} ${p.path}`).join('; ').slice(0, 2000) };
  } catch (err) {
    error = errorInfo(err);
    verification = { at: new Date(ctx.clock.now()).toISOString(), kind: 'sample', ok: false, detail: error.message };
  }
  await ctx.journal.finish({ ...entry, endedAt: new Date(ctx.clock.now()).toISOString(), outcome: error ? 'failed' : 'success', error, verification });
  if (error) await alertFailure(ctx, s.target, error);
}

function emptyProgress() {
  return { phase: 'finishing' as const, filesDone: 0, filesTotal: null, bytesDone: 0, bytesTotal: null, bytesStored: 0, currentFile: null, bytesPerSecond: 0, etaSeconds: null };
}
