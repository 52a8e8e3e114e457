/** The StatusDto snapshot: the journal, the live runs, the drives and the schedules, through the status model. */
import type { StatusDto, TargetKind, TargetStatusDto } from '../contract/api.js';
import { overallLevel, targetStatus } from './journal/status-model.js';
import type { Scheduler } from './schedule/scheduler.js';
import { memoOf, type RunContext } from './runner/run-context.js';
import { targetLabel, targetOf } from './runner/target-open.js';

const KINDS: TargetKind[] = ['usb', 'cloud'];

export function buildStatus(ctx: RunContext, scheduler: Scheduler): StatusDto {
  const settings = ctx.settings();
  const now = ctx.clock.now();
  const targets: TargetStatusDto[] = [];
  for (const kind of KINDS) {
    const t = targetOf(settings, kind);
    if (!t) continue;
    const memo = memoOf(ctx, kind);
    const live = ctx.live.get(kind);
    targets.push(
      targetStatus({
        id: t.id,
        kind,
        label: targetLabel(t),
        configured: t.enabled,
        staleAfterHours: t.staleAfterHours,
        drillIntervalDays: settings!.drillIntervalDays,
        entries: ctx.journal.entries({ targetId: t.id }),
        running: !!live,
        progress: live?.progress ?? null,
        available: kind === 'usb' ? ctx.drives.get((t as { driveId: string }).driveId) !== null : memo.available,
        nextRunAt: t.enabled ? scheduler.nextRun(kind) : null,
        snapshotCount: memo.snapshotCount,
        freeBytes: kind === 'usb' ? (ctx.drives.get((t as { driveId: string }).driveId)?.freeBytes ?? memo.freeBytes) : memo.freeBytes,
        now,
      }),
    );
  }
  const configured = !!settings && (!!settings.usb || !!settings.cloud);
  return {
    now: new Date(now).toISOString(),
    timeZone: ctx.timeZone,
    configured,
    overall: overallLevel(configured, targets),
    targets,
  };
}
