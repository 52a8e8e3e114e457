import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * In a fresh process (the flag is process-wide): a worker started after tuneNewHeaps('engine') promotes ~80 MB of objects
 * that die soon after (what the engine thread does) with no full collection; without it, V8 runs several, and so does a
 * worker started after tuneNewHeaps('worker') (V8's own sizing again, as the engine thread's workers get).
 */
function fullCollections(tune: string): number {
  const script = `
    import { Worker } from 'node:worker_threads';
    import { tuneNewHeaps } from ${JSON.stringify(new URL('./heap-tuning.ts', import.meta.url).href)};
    ${tune}
    const w = new Worker(\`
      const { parentPort } = require('node:worker_threads');
      const { PerformanceObserver, constants } = require('node:perf_hooks');
      let major = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++; }).observe({ entryTypes: ['gc'] });
      // records that live through a few young collections (so they are promoted), then die: 12 rounds of ~7 MB
      let keep = [];
      for (let round = 0; round < 12; round++) {
        const batch = [];
        for (let i = 0; i < 60000; i++) batch.push({ id: 'blob-' + round + '-' + i, size: i, parts: [i, i + 1] });
        keep.push(batch);
        if (keep.length > 2) keep.shift();
      }
      keep = null;
      setTimeout(() => parentPort.postMessage(major), 100);
    \`, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    w.on('message', (n) => { console.log(n); w.terminate(); });
  `;
  const dir = mkdtempSync(join(tmpdir(), 'rempart-heap-'));
  try {
    const file = join(dir, 'probe.mts'); // a file, not -e: --input-type would make the worker's CommonJS source a module
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    return Number(r.stdout.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a heap started after tuneNewHeaps('engine') runs no full collection where default heaps run several", () => {
  const tuned = fullCollections("tuneNewHeaps('engine');");
  const plain = fullCollections('');
  const reset = fullCollections("tuneNewHeaps('engine'); tuneNewHeaps('worker');");
  assert.equal(tuned, 0, `tuned: ${tuned} full collections`);
  assert.ok(plain >= 1, `default: ${plain} full collections (2 measured here)`);
  assert.ok(reset >= 1, `after 'worker': ${reset} full collections`);
});
