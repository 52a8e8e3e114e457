/**
 * Test-only endpoints (bridge started with --test-hooks; never in production): they let e2e drive the FakeClock the host
 * runs on and read the notifications the host sent.
 *   POST /api/_test/clock/advance {"ms": N}
 *   POST /api/_test/clock/set     {"time": "ISO-8601" | epochMs}   (time only moves forward)
 *   GET  /api/_test/clock         -> {"now": "ISO"}
 *   GET  /api/_test/alerts        -> the notifications recorded so far
 */
import type { FakeClock } from '../../engine/base/clock.js';
import type { Result } from '../../contract/errors.js';

export interface BridgeTestHooks {
  clock: FakeClock;
  /** Notifications the host sent (a recording Notifier port). */
  notifications: () => readonly unknown[];
}

const MAX_ADVANCE_MS = 5 * 366 * 24 * 3600 * 1000;

function bad(message: string): Result<never> {
  return { ok: false, error: { code: 'INVALID_INPUT', message } };
}

export async function handleTestHook(hooks: BridgeTestHooks, route: string, body: unknown): Promise<Result<unknown>> {
  const b = (body ?? {}) as Record<string, unknown>;
  switch (route) {
    case 'clock':
      return { ok: true, value: { now: new Date(hooks.clock.now()).toISOString() } };
    case 'clock/advance': {
      const ms = b.ms;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_ADVANCE_MS) {
        return bad('ms must be a non-negative integer (at most 5 years)');
      }
      await hooks.clock.advance(ms);
      return { ok: true, value: { now: new Date(hooks.clock.now()).toISOString() } };
    }
    case 'clock/set': {
      const t = typeof b.time === 'string' ? Date.parse(b.time) : b.time;
      if (typeof t !== 'number' || !Number.isFinite(t)) return bad('time must be an ISO date or epoch milliseconds');
      if (t < hooks.clock.now()) return bad('the clock only moves forward');
      await hooks.clock.set(t);
      return { ok: true, value: { now: new Date(hooks.clock.now()).toISOString() } };
    }
    case 'alerts':
      return { ok: true, value: hooks.notifications() };
    default:
      return bad(`unknown test hook ${route.slice(0, 64)}`);
  }
}
