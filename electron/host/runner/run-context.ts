/** What a run needs from the host: state, ports and event sinks. */
import type { RunProgressDto, SettingsDto, TargetKind } from '../../contract/api.js';
import type { Clock } from '../../engine/base/clock.js';
import type { AlertCenter } from '../alerts/alert-center.js';
import type { Journal } from '../journal/journal.js';
import type { SecretStore } from '../ports.js';
import type { DriveWatch } from './drive-watch.js';

export interface LiveRun {
  kind: TargetKind;
  runId: string;
  controller: AbortController;
  progress: RunProgressDto | null;
  /** Set when the user cancelled this target (not just its batch partner). */
  cancelled: boolean;
}

export interface TargetMemo {
  snapshotCount: number;
  freeBytes: number | null;
  available: boolean;
}

export interface RunContext {
  dataDir: string;
  clock: Clock;
  timeZone: string;
  settings(): SettingsDto | null;
  secrets: SecretStore;
  journal: Journal;
  alerts: AlertCenter;
  drives: DriveWatch;
  live: Map<TargetKind, LiveRun>;
  memo: Map<TargetKind, TargetMemo>;
  emitProgress(kind: TargetKind, targetId: string, p: RunProgressDto): void;
  changed(): void;
  log(err: unknown): void;
  /** Sample fraction for the weekly re-check, and the number of files of a drill. */
  sampleFraction: number;
  drillFiles: number;
}

export function memoOf(ctx: RunContext, kind: TargetKind): TargetMemo {
  let m = ctx.memo.get(kind);
  if (!m) {
    m = { snapshotCount: 0, freeBytes: null, available: kind === 'cloud' };
    ctx.memo.set(kind, m);
  }
  return m;
}
