import type { BackupProgress } from '../api.js';
import type { Clock } from '../base/clock.js';

/** Running counters of a backup, reported at most ~4 times a second (and always on phase changes). */
export class ProgressTracker {
  filesDone = 0;
  filesTotal: number | null = null;
  bytesDone = 0;
  bytesTotal: number | null = null;
  bytesStored = 0;
  currentFile: string | null = null;
  phase: BackupProgress['phase'] = 'scanning';
  private lastEmit = -Infinity;
  private startedAt: number;
  private bytesAtStart = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onProgress?: (p: BackupProgress) => void,
    private readonly intervalMs = 250,
  ) {
    this.startedAt = clock.now();
  }

  setPhase(phase: BackupProgress['phase']): void {
    this.phase = phase;
    if (phase === 'backing-up') {
      this.startedAt = this.clock.now();
      this.bytesAtStart = this.bytesDone;
    }
    this.emit(true);
  }

  snapshot(): BackupProgress {
    const elapsed = (this.clock.now() - this.startedAt) / 1000;
    const moved = this.bytesDone - this.bytesAtStart;
    const rate = elapsed > 0.5 ? moved / elapsed : 0;
    const left = this.bytesTotal === null ? null : Math.max(0, this.bytesTotal - this.bytesDone);
    return {
      phase: this.phase,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesStored: this.bytesStored,
      currentFile: this.currentFile,
      bytesPerSecond: Math.round(rate),
      etaSeconds: left === null || rate <= 0 || this.phase !== 'backing-up' ? null : Math.ceil(left / rate),
    };
  }

  emit(force = false): void {
    if (!this.onProgress) return;
    const now = this.clock.now();
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    try {
      this.onProgress(this.snapshot());
    } catch {
      // a listener's failure never breaks a backup
    }
  }
}
