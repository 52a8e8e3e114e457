/**
 * Bounded retries with exponential backoff and full jitter (the AWS "full jitter" scheme), driven by a Clock so
 * tests can fast-forward. Permanent failures (classified retryable=false) stop at once.
 */
import { systemClock, type Clock } from '../../base/clock.js';
import { RempartError } from '../../base/errors.js';
import type { Classified } from './errors.js';

export interface RetryPolicy {
  /** Total attempts, first one included (default 6). */
  maxAttempts?: number;
  /** First backoff ceiling in ms (default 500). */
  baseDelayMs?: number;
  /** Backoff ceiling in ms (default 30 000); also caps a server's Retry-After. */
  maxDelayMs?: number;
  /** Random source in [0,1) for jitter (tests may pin it). */
  random?: () => number;
}

export const DEFAULT_RETRY: Required<RetryPolicy> = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  random: Math.random,
};

/** Delay before attempt n+1 after failed attempt n (1-based). */
export function backoffDelay(policy: Required<RetryPolicy>, attempt: number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
  if (retryAfterMs !== undefined) return Math.min(policy.maxDelayMs, Math.max(retryAfterMs, jittered));
  return jittered;
}

/**
 * A timer on `clock` that keeps the process alive while it waits: systemClock timers are unref'd, and a CLI run
 * waiting out a backoff must not exit with an unsettled promise.
 */
export function setAliveTimer(clock: Clock, ms: number, fn: () => void): () => void {
  if (clock !== systemClock) return clock.setTimer(ms, fn);
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
}

export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RempartError('CANCELLED', 'cancelled'));
    const onAbort = () => {
      cancel();
      reject(new RempartError('CANCELLED', 'cancelled'));
    };
    const cancel = setAliveTimer(clock, ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryHooks {
  classify(err: unknown): Classified;
  /** Turns the final classification into the error thrown. */
  fail(c: Classified, attempts: number, err: unknown): Error;
  onRetry?(c: Classified, attempt: number, delayMs: number): void;
}

/** Runs fn until it succeeds, a permanent error occurs, or the attempts run out. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: Required<RetryPolicy>,
  clock: Clock,
  hooks: RetryHooks,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const c = hooks.classify(err);
      if (!c.retryable || attempt >= policy.maxAttempts || c.code === 'CANCELLED') throw hooks.fail(c, attempt, err);
      const delay = backoffDelay(policy, attempt, c.retryAfterMs);
      hooks.onRetry?.(c, attempt, delay);
      await sleep(clock, delay, signal);
    }
  }
}
