/**
 * Bounded asynchronous work: at most `maxBytes` (and `maxTasks`) of work in flight. `run` resolves once the task is
 * admitted (the producer waits there: backpressure), not when it finishes. The first task failure is rethrown by the
 * next `run` and by `drain`.
 */
export class Inflight {
  private bytes = 0;
  private count = 0;
  private waiters: (() => void)[] = [];
  private readonly tasks = new Set<Promise<void>>();
  private failure: { err: unknown } | null = null;

  constructor(
    private readonly maxBytes: number,
    private readonly maxTasks: number,
  ) {}

  async run(size: number, fn: () => Promise<void>): Promise<void> {
    while (!this.failure && this.count > 0 && (this.count >= this.maxTasks || this.bytes + size > this.maxBytes)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure) throw this.failure.err;
    this.bytes += size;
    this.count++;
    const task: Promise<void> = fn()
      .catch((err: unknown) => {
        this.failure ??= { err };
      })
      .finally(() => {
        this.bytes -= size;
        this.count--;
        this.tasks.delete(task);
        const w = this.waiters;
        this.waiters = [];
        for (const wake of w) wake();
      });
    this.tasks.add(task);
  }

  /** Waits for every admitted task; rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
    if (this.failure) throw this.failure.err;
  }

  /** Waits for every admitted task, ignoring failures (cleanup paths). */
  async settle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}
