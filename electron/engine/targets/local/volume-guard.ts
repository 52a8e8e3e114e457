/**
 * Unplug safety for removable drives. A lazy unmount (`umount -l`, a desktop "eject" racing a write, a FUSE daemon
 * going away) gives NO error to the writer: the mount folder silently becomes a plain folder of the internal disk and
 * new files land there. So before and after each write we check that the volume root is still the same device
 * (st_dev unchanged since the first check) and, when known, that the enrolment marker still names the expected drive.
 */
import { promises as fsp } from 'node:fs';
import { RempartError, fsErrorToRempart } from '../../base/errors.js';
import { assertDriveMarker } from './drive-marker.js';

const MARKER_ATTEMPTS = 4;
const MARKER_RETRY_MS = 50;

export class VolumeGuard {
  private dev: number | null = null;

  constructor(
    readonly volumeRoot: string,
    readonly expectedDriveId?: string,
  ) {}

  /** Throws DRIVE_UNPLUGGED (or DRIVE_NOT_PLUGGED on the very first check) when the volume is not the expected one. */
  async check(context: string): Promise<void> {
    let dev: number;
    try {
      dev = (await fsp.stat(this.volumeRoot)).dev;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new RempartError(this.dev === null ? 'DRIVE_NOT_PLUGGED' : 'DRIVE_UNPLUGGED', `${context}: volume ${this.volumeRoot} is gone`, {
          retryable: true,
          cause: err,
          details: { volumeRoot: this.volumeRoot },
        });
      }
      throw fsErrorToRempart(err, `${context}: volume ${this.volumeRoot}`);
    }
    if (this.dev !== null && dev !== this.dev) {
      throw new RempartError('DRIVE_UNPLUGGED', `${context}: ${this.volumeRoot} is now another device (${this.dev} -> ${dev}); drive removed`, {
        retryable: true,
        details: { volumeRoot: this.volumeRoot },
      });
    }
    if (this.expectedDriveId !== undefined) {
      try {
        await this.assertMarker();
      } catch (err) {
        if (this.dev === null && err instanceof RempartError && err.code === 'DRIVE_UNPLUGGED') {
          throw new RempartError('DRIVE_NOT_PLUGGED', err.message, { retryable: true, cause: err, details: err.details });
        }
        throw err;
      }
    }
    this.dev = dev;
  }

  /**
   * The marker check, retried a few times on a miss: fusefat's lookups fail spuriously (ENOENT) while other threads
   * write to the volume, and one such miss must not abort a backup. A real removal stays missing.
   */
  private async assertMarker(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await assertDriveMarker(this.volumeRoot, this.expectedDriveId as string);
      } catch (err) {
        if (attempt >= MARKER_ATTEMPTS || !(err instanceof RempartError) || err.code !== 'DRIVE_UNPLUGGED') throw err;
        await new Promise((r) => setTimeout(r, MARKER_RETRY_MS * attempt));
      }
    }
  }
}
