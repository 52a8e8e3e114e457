/**
 * The only place allowed to read wall time. Everything that schedules, ages or timestamps takes a Clock,
 * so tests can drive time with a FakeClock (DST changes, missed runs, staleness).
 */
export interface Clock {
  now(): number; // epoch milliseconds
  /** Like setTimeout, but on this clock. Returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

/** A manually advanced clock for tests. */
export class FakeClock implements Clock {
  private current: number;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;

  constructor(start: number | Date) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.current + Math.max(0, ms), fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  /** Moves time forward, firing due timers in order (timers set by fired timers fire too if due). */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.current = end;
  }

  async set(time: number | Date): Promise<void> {
    const t = typeof time === 'number' ? time : time.getTime();
    await this.advance(Math.max(0, t - this.current));
  }
}
