/**
 * Restore drills (monthly, proposed on the dashboard): the user types the passphrase, a random sample of files of the
 * latest snapshot is decrypted and compared with the originals; the result is journaled as a 'drill' verification.
 * Also the passphrase change, applied to every configured copy.
 */
import { randomUUID } from 'node:crypto';
import type { DrillResultDto, SecretDto, TargetKind, VerificationDto } from '../contract/api.js';
import type { ErrorInfo } from '../contract/errors.js';
import { errorInfo, HostError } from './errors.js';
import type { RepoSecret } from './engine-port.js';
import type { RunContext } from './runner/run-context.js';
import { closeTarget, openTarget, targetOf, type OpenedTarget } from './runner/target-open.js';

export async function runDrill(ctx: RunContext, kind: TargetKind, secret: SecretDto): Promise<DrillResultDto> {
  const t = targetOf(ctx.settings(), kind);
  if (!t) throw new HostError('NOT_CONFIGURED', `no ${kind} copy is configured`);
  if (ctx.live.has(kind)) throw new HostError('ALREADY_RUNNING', `the ${kind} copy is busy`);
  const controller = new AbortController();
  ctx.live.set(kind, { kind, runId: '', controller, progress: null, cancelled: false });
  let opened: OpenedTarget | null = null;
  try {
    opened = await openTarget(t, { secrets: ctx.secrets, drives: ctx.drives, clock: ctx.clock, dataDir: ctx.dataDir }, secret as RepoSecret);
    // The passphrase was right: from here on the outcome is journaled.
    const entry = await ctx.journal.start({
      runId: randomUUID(), targetId: t.id, kind, trigger: 'drill', startedAt: new Date(ctx.clock.now()).toISOString(),
    });
    ctx.changed();
    let result: DrillResultDto;
    let error: ErrorInfo | null = null;
    try {
      const r = await opened.repo.drill({ sampleFiles: ctx.drillFiles, signal: controller.signal });
      result = {
        targetId: t.id, ok: r.mismatches.length === 0, filesChecked: r.filesChecked, filesMatching: r.filesMatching,
        filesChangedSince: r.filesChangedSince, mismatches: r.mismatches.slice(0, 100),
      };
      if (!result.ok) error = { code: 'DATA_CORRUPT', message: `${r.mismatches.length} file(s) differ from what was backed up` };
    } catch (err) {
      error = errorInfo(err);
      result = { targetId: t.id, ok: false, filesChecked: 0, filesMatching: 0, filesChangedSince: 0, mismatches: [{ path: '', message: error.message }] };
    }
    const verification: VerificationDto = {
      at: new Date(ctx.clock.now()).toISOString(),
      kind: 'drill',
      ok: result.ok,
      detail: `${result.filesMatching}/${result.filesChecked} files identical${result.filesChangedSince ? `, ${result.filesChangedSince} changed since` : ''}`,
    };
    await ctx.journal.finish({ ...entry, endedAt: verification.at, outcome: result.ok ? 'success' : 'failed', files: result.filesChecked, error, verification });
    return result;
  } finally {
    await closeTarget(opened);
    ctx.live.delete(kind);
    ctx.changed();
  }
}

/** Changes the passphrase of every configured copy. All copies are opened (and so checked) before anything changes. */
export async function changePassphrase(ctx: RunContext, current: SecretDto, next: string): Promise<void> {
  const opened: OpenedTarget[] = [];
  try {
    for (const kind of ['usb', 'cloud'] as TargetKind[]) {
      const t = targetOf(ctx.settings(), kind);
      if (!t) continue;
      if (ctx.live.has(kind)) throw new HostError('ALREADY_RUNNING', `the ${kind} copy is busy; try again when it is done`);
      opened.push(await openTarget(t, { secrets: ctx.secrets, drives: ctx.drives, clock: ctx.clock, dataDir: ctx.dataDir }, current as RepoSecret));
    }
    if (opened.length === 0) throw new HostError('NOT_CONFIGURED', 'no copy is configured');
    for (const o of opened) await o.repo.changePassphrase(next);
  } finally {
    for (const o of opened) await closeTarget(o);
  }
}
