/**
 * The status model, derived from the journal and the live runs (pure functions, no I/O):
 * per target ok / running / stale / failed / never / absent / unconfigured, and one overall level
 * (green only when both copies are fresh and their last verification passed).
 */
import type { ErrorInfo } from '../../contract/errors.js';
import type { JournalEntryDto, OverallLevel, RunProgressDto, TargetKind, TargetState, TargetStatusDto, VerificationDto } from '../../contract/api.js';

export interface TargetFacts {
  id: string;
  kind: TargetKind;
  label: string;
  configured: boolean;
  staleAfterHours: number;
  drillIntervalDays: number;
  entries: JournalEntryDto[]; // this target's journal, oldest first
  running: boolean;
  progress: RunProgressDto | null;
  available: boolean;
  nextRunAt: number | null;
  snapshotCount: number;
  freeBytes: number | null;
  now: number;
}

const isBackup = (e: JournalEntryDto) => e.trigger !== 'drill' && e.trigger !== 'verify';
const ended = (e: JournalEntryDto) => Date.parse(e.endedAt ?? e.startedAt);

export function lastSuccess(entries: JournalEntryDto[]): JournalEntryDto | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (isBackup(e) && (e.outcome === 'success' || e.outcome === 'partial')) return e;
  }
  return null;
}

/** The last backup that decided the state (cancelled runs do not count). */
function lastDecisive(entries: JournalEntryDto[]): JournalEntryDto | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (isBackup(e) && e.outcome !== 'cancelled' && e.outcome !== 'running') return e;
  }
  return null;
}

export function isStale(f: Pick<TargetFacts, 'entries' | 'staleAfterHours' | 'now'>): boolean {
  const ok = lastSuccess(f.entries);
  return !ok || f.now - ended(ok) > f.staleAfterHours * 3_600_000;
}

export function lastVerification(entries: JournalEntryDto[], kinds: VerificationDto['kind'][]): VerificationDto | null {
  let best: VerificationDto | null = null;
  for (const e of entries) {
    const v = e.verification;
    if (v && kinds.includes(v.kind) && (!best || v.at >= best.at)) best = v;
  }
  return best;
}

/** A restore drill is due drillIntervalDays after the last drill (or after the first good copy). */
export function isDrillDue(entries: JournalEntryDto[], intervalDays: number, now: number): boolean {
  const drill = lastVerification(entries, ['drill']);
  const first = entries.find((e) => isBackup(e) && (e.outcome === 'success' || e.outcome === 'partial'));
  if (!first) return false;
  const since = drill ? Date.parse(drill.at) : Date.parse(first.endedAt ?? first.startedAt);
  return now - since > intervalDays * 86_400_000;
}

export function targetState(f: TargetFacts): { state: TargetState; error: ErrorInfo | null } {
  if (!f.configured) return { state: 'unconfigured', error: null };
  if (f.running) return { state: 'running', error: null };
  const last = lastDecisive(f.entries);
  const stale = isStale(f);
  const failed = !!last && (last.outcome === 'failed' || last.outcome === 'interrupted');
  if (f.kind === 'usb' && !f.available && (stale || failed)) {
    return { state: 'absent', error: { code: 'DRIVE_NOT_PLUGGED', message: `drive "${f.label}" is not connected`, details: { label: f.label } } };
  }
  if (failed) return { state: 'failed', error: last.error };
  if (!lastSuccess(f.entries)) return { state: 'never', error: null };
  if (stale) return { state: 'stale', error: null };
  return { state: 'ok', error: null };
}

export function targetStatus(f: TargetFacts): TargetStatusDto {
  const { state, error } = targetState(f);
  const ok = lastSuccess(f.entries);
  const backups = f.entries.filter(isBackup);
  const lastRun = backups[backups.length - 1];
  const drill = lastVerification(f.entries, ['drill']);
  const drillDue = isDrillDue(f.entries, f.drillIntervalDays, f.now) && f.configured;
  return {
    id: f.id,
    kind: f.kind,
    label: f.label,
    state,
    lastSuccessAt: ok ? (ok.endedAt ?? ok.startedAt) : null,
    lastRunAt: lastRun ? lastRun.startedAt : null,
    nextRunAt: f.nextRunAt === null ? null : new Date(f.nextRunAt).toISOString(),
    staleAfterHours: f.staleAfterHours,
    lastVerification: lastVerification(f.entries, ['after-run', 'sample']),
    lastDrill: drill,
    error,
    progress: f.running ? f.progress : null,
    snapshotCount: f.snapshotCount,
    freeBytes: f.freeBytes,
    available: f.available,
    drillDue,
  };
}

export function overallLevel(configured: boolean, targets: TargetStatusDto[]): OverallLevel {
  const active = targets.filter((t) => t.state !== 'unconfigured');
  if (!configured || active.length === 0) return 'setup';
  if (active.some((t) => t.state === 'failed')) return 'red';
  if (active.some((t) => t.state === 'running')) return 'running';
  const notOk = active.filter((t) => t.state !== 'ok');
  if (notOk.length === active.length) return 'red';
  if (notOk.length > 0 || active.length < 2) return 'orange';
  if (active.some((t) => !t.lastVerification || !t.lastVerification.ok)) return 'orange';
  return 'green';
}
