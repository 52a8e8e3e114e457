import { setFlagsFromString } from 'node:v8';

/**
 * Sizes the old generation of the V8 heaps created from now on (the CLI's engine thread, the compression, seal and
 * decode workers): 128 MB before the first full collection instead of V8's few MB for a small heap.
 *
 * The engine's threads keep small heaps (10–30 MB) and promote a steady trickle of short-lived objects (in-flight chunk
 * records, archiver's entries). With V8's default sizing, each few MB promoted started a full (mark-compact) collection:
 * 34 on the engine thread and 37 on the seal thread in a 6 s first backup of the 1 GB bench dataset. With this: 3 and
 * 14, about −1 s of CPU and −0.5 s of wall time on two cores, for ~20 MB more peak memory (bench/RESULTS.md).
 * A V8 flag is process-wide and read when an isolate is created: it never changes the heap of the thread calling this
 * (in the app, Electron's main thread), only of the threads started afterwards. Idempotent; REMPART_HEAP_TUNING=0 skips.
 */
export const INITIAL_OLD_SPACE_MB = 128;

let tuned = false;

export function tuneNewHeaps(): void {
  if (tuned || process.env.REMPART_HEAP_TUNING === '0') return;
  tuned = true;
  try {
    setFlagsFromString(`--initial-old-space-size=${INITIAL_OLD_SPACE_MB}`);
  } catch {
    // a runtime without this flag keeps V8's sizing
  }
}
