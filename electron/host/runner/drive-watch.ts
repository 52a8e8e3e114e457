/**
 * Finds the enrolled USB drive whatever its mount point, by its marker. Polls the DriveLister on the host Clock
 * (and listens to its optional watch()), and reports plug / unplug transitions of enrolled drives.
 * Drives without a marker, or with another drive id, are never written to.
 */
import type { DriveDto } from '../../contract/api.js';
import type { Clock } from '../../engine/base/clock.js';
import type { DriveLister } from '../ports.js';
import { readDriveMarker } from '../engine-port.js';

export interface EnrolledDrive {
  mountPath: string;
  driveId: string;
  targetId: string;
  freeBytes: number | null;
}

export class DriveWatch {
  private present = new Map<string, EnrolledDrive>(); // by driveId
  private cancelTimer: (() => void) | null = null;
  private unwatch: (() => void) | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly lister: DriveLister,
    private readonly clock: Clock,
    private readonly onChange: (driveId: string, drive: EnrolledDrive | null) => void,
    private readonly intervalMs = 3_000,
  ) {}

  /** All mounted drives, with the target id of those carrying a Rempart marker. */
  async listDrives(): Promise<(DriveDto & { driveId: string | null })[]> {
    const out: (DriveDto & { driveId: string | null })[] = [];
    for (const d of await this.lister.list()) {
      const marker = await readDriveMarker(d.mountPath);
      out.push({
        mountPath: d.mountPath,
        label: marker?.label || d.label,
        freeBytes: d.freeBytes,
        totalBytes: d.totalBytes,
        enrolledTargetId: marker?.targetId ?? null,
        driveId: marker?.driveId ?? null,
      });
    }
    return out;
  }

  get(driveId: string): EnrolledDrive | null {
    return this.present.get(driveId) ?? null;
  }

  /** Re-reads the mounted drives now (also used right before a run). */
  poll(): Promise<void> {
    if (!this.polling) {
      this.polling = this.scan().finally(() => {
        this.polling = null;
      });
    }
    return this.polling;
  }

  /** Resolves when no scan is in progress. */
  async settled(): Promise<void> {
    while (this.polling) await this.polling;
  }

  start(): Promise<void> {
    this.unwatch = this.lister.watch?.(() => void this.poll()) ?? null;
    // The first scan only records what is already there: a drive present at start is handled by catch-up, not as a plug.
    const first = this.scan(true);
    this.polling = first.finally(() => {
      this.polling = null;
    });
    this.arm();
    return first;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.unwatch?.();
  }

  private arm(): void {
    if (this.stopped) return;
    this.cancelTimer = this.clock.setTimer(this.intervalMs, () => {
      void this.poll().finally(() => this.arm());
    });
  }

  private async scan(silent = false): Promise<void> {
    let drives: Awaited<ReturnType<DriveWatch['listDrives']>> = [];
    try {
      drives = await this.listDrives();
    } catch {
      return; // listing failed: keep the previous view
    }
    const now = new Map<string, EnrolledDrive>();
    for (const d of drives) {
      if (!d.driveId || !d.enrolledTargetId || now.has(d.driveId)) continue;
      now.set(d.driveId, { mountPath: d.mountPath, driveId: d.driveId, targetId: d.enrolledTargetId, freeBytes: d.freeBytes });
    }
    const before = this.present;
    this.present = now;
    if (silent) return;
    for (const [id, d] of now) if (!before.has(id) || before.get(id)!.mountPath !== d.mountPath) this.onChange(id, d);
    for (const id of before.keys()) if (!now.has(id)) this.onChange(id, null);
  }
}
