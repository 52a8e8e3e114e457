/**
 * Fires each target's schedule on the injected Clock: one timer at a time per target, re-armed after each slot
 * (a setTimer chain, so a FakeClock drives it and a sleeping PC never causes a burst of runs). Timers are capped at one hour
 * and re-evaluated, so a clock jump (sleep, time change) is noticed. Several slots missed at once fire ONE run.
 */
import type { Clock } from '../../engine/base/clock.js';
import type { Schedule } from '../../contract/api.js';
import { scheduleToCron } from './cron-plan.js';
import { CronPlan } from './next-run.js';

const MAX_TIMER_MS = 3_600_000;

interface Entry {
  plan: CronPlan;
  next: number | null;
  cancel: (() => void) | null;
  fire: (slot: number) => void;
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    readonly timeZone: string,
  ) {}

  /** Sets (or with null, removes) the schedule of a target. `fire` gets the planned slot that is due. */
  set(targetId: string, schedule: Schedule | null, fire: (slot: number) => void): void {
    this.remove(targetId);
    if (!schedule || this.stopped) return;
    const plan = new CronPlan(scheduleToCron(schedule), this.timeZone);
    const entry: Entry = { plan, next: plan.next(this.clock.now()), cancel: null, fire };
    this.entries.set(targetId, entry);
    this.arm(entry);
  }

  remove(targetId: string): void {
    const e = this.entries.get(targetId);
    e?.cancel?.();
    this.entries.delete(targetId);
  }

  nextRun(targetId: string): number | null {
    return this.entries.get(targetId)?.next ?? null;
  }

  /** The last planned slot at or before `now` (for catch-up), or null. */
  lastSlot(targetId: string, now = this.clock.now()): number | null {
    return this.entries.get(targetId)?.plan.previous(now) ?? null;
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.entries.keys()]) this.remove(id);
  }

  private arm(entry: Entry): void {
    if (entry.next === null || this.stopped) return;
    const delay = Math.min(Math.max(0, entry.next - this.clock.now()), MAX_TIMER_MS);
    entry.cancel = this.clock.setTimer(delay, () => this.tick(entry));
  }

  private tick(entry: Entry): void {
    entry.cancel = null;
    const now = this.clock.now();
    if (entry.next !== null && now >= entry.next) {
      const slot = entry.next;
      entry.next = entry.plan.next(Math.max(now, slot));
      try {
        entry.fire(slot);
      } catch {
        /* the runner reports its own errors */
      }
    }
    this.arm(entry);
  }
}
