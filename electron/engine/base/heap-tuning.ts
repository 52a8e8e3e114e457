import { setFlagsFromString } from 'node:v8';

/**
 * Sizes the old generation of the V8 heaps created from now on. A V8 flag is process-wide and read when an isolate is
 * created: it never changes the heap of the thread calling this, only of the threads started afterwards.
 *
 * - 'engine' (the CLI's engine thread, which holds the run's list of files and blob ids until the commit): 128 MB before
 *   the first full collection instead of V8's few MB for a small heap. With V8's default sizing each few MB promoted
 *   started a full (mark-compact) collection over that whole list: at 2 GB backed up, −1.8 s of CPU for ~40 MB more
 *   peak memory (bench/RESULTS.md).
 * - 'worker' (compression, seal and decode threads): V8's own sizing. Their live heaps stay small (a few MB), so a full
 *   collection costs little, and a larger heap only let garbage pile up: ~80 MB more peak memory for no CPU gain once
 *   packs stopped travelling between threads (they are written as they fill).
 * The engine thread starts its workers after its own heap exists, so the two settings never race. Idempotent;
 * REMPART_HEAP_TUNING=0 skips.
 */
export const ENGINE_OLD_SPACE_MB = 128;

/** What this thread last set (the flag itself is shared by all threads: another one may have set it since). */
let current: number | null = null;

export function tuneNewHeaps(kind: 'engine' | 'worker'): void {
  if (process.env.REMPART_HEAP_TUNING === '0') return;
  const mb = kind === 'engine' ? ENGINE_OLD_SPACE_MB : 0; // 0: not configured, V8's heuristics
  if (current === mb) return;
  current = mb;
  try {
    setFlagsFromString(`--initial-old-space-size=${mb}`);
  } catch {
    // a runtime without this flag keeps V8's sizing
  }
}
