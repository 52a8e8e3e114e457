/**
 * Per-request abort control: a whole-request deadline plus an idle watchdog that fires when no byte moved for
 * idleMs (the webdav client has no timeout, and an http.Agent timeout does not abort node-fetch). The signal also
 * follows the caller's signal. Call done() when the request is over, so no timer is left behind.
 */
import type { Clock } from '../../base/clock.js';
import { DeadlineAbort, StallAbort } from './errors.js';

export class RequestGuard {
  private readonly ac = new AbortController();
  private cancelIdle: (() => void) | null = null;
  private readonly cancelDeadline: () => void;
  private readonly onUserAbort: () => void;
  private finished = false;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    deadlineMs: number,
    private readonly userSignal?: AbortSignal,
  ) {
    this.cancelDeadline = clock.setTimer(deadlineMs, () => this.ac.abort(new DeadlineAbort(deadlineMs)));
    this.onUserAbort = () => this.ac.abort(userSignal?.reason);
    if (userSignal?.aborted) this.ac.abort(userSignal.reason);
    else userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  /** Progress happened: re-arm the idle watchdog. */
  touch(): void {
    if (this.finished) return;
    this.cancelIdle?.();
    this.cancelIdle = this.clock.setTimer(this.idleMs, () => this.ac.abort(new StallAbort(this.idleMs)));
  }

  /** Stops the idle watchdog while *we* are the slow side (a consumer not reading); touch() re-arms it. */
  pause(): void {
    this.cancelIdle?.();
    this.cancelIdle = null;
  }

  /** The reason we aborted (stall / deadline), or undefined if the caller cancelled or nothing happened. */
  ownAbortReason(): unknown {
    if (!this.ac.signal.aborted || this.userSignal?.aborted) return undefined;
    return this.ac.signal.reason;
  }

  /** Rethrows our own abort reason instead of node-fetch's generic AbortError. */
  explain(err: unknown): unknown {
    return this.ownAbortReason() ?? err;
  }

  done(): void {
    if (this.finished) return;
    this.finished = true;
    this.cancelIdle?.();
    this.cancelDeadline();
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }
}
