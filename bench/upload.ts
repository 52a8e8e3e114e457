/**
 * Upload phase of the benchmark: a loopback Apache mod_dav server; the WebDAV store's verified upload path
 * (temporary PUT with Content-Length, PROPFIND size check, MOVE Overwrite:F) against `curl -T` of the same bytes,
 * then the bandwidth cap measured.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, openSync, writeSync, closeSync, statSync, rmSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { join } from 'node:path';
import { openStore } from '../electron/engine/index.js';
import { startApache } from '../test-support/webdav-servers.js';

export interface UploadResult {
  lines: string[];
}

function makeFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(1 << 20);
  for (let done = 0; done < bytes; done += buf.length) {
    randomFillSync(buf);
    writeSync(fd, buf, 0, Math.min(buf.length, bytes - done));
  }
  closeSync(fd);
}

async function timeIt(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function runUploadBench(work: string, sizeMB = 256, capKBps = 2048): Promise<UploadResult> {
  const server = await startApache();
  const file = join(work, 'upload.bin');
  try {
    makeFile(file, sizeMB * 2 ** 20);
    const size = statSync(file).size;
    const auth = `${server.username}:${server.password}`;
    const curlRuns: number[] = [];
    const storeRuns: number[] = [];
    const storeU = await openStore(server.url.replace('://', `://${encodeURIComponent(server.username)}@`), { password: server.password });
    for (let i = 0; i < 3; i++) {
      curlRuns.push(await timeIt(async () => {
        const r = spawnSync('curl', ['-sS', '-f', '-u', auth, '-T', file, `${server.url}curl-${i}.bin`]);
        if (r.status !== 0) throw new Error(`curl -T failed: ${r.stderr}`);
      }));
      storeRuns.push(await timeIt(() => storeU.write(`bench/pack-${i}.bin`, () => createReadStream(file), size)));
    }
    const best = (a: number[]) => Math.min(...a);
    const mbps = (s: number) => size / 1e6 / s;
    const capped = await openStore(server.url.replace('://', `://${encodeURIComponent(server.username)}@`), { password: server.password, bandwidthLimitKBps: capKBps });
    const capBytes = 8 * 2 ** 20;
    const capFile = join(work, 'cap.bin');
    makeFile(capFile, capBytes);
    const capSeconds = await timeIt(() => capped.write('bench/capped.bin', () => createReadStream(capFile), capBytes));
    const measuredKBps = capBytes / 1024 / capSeconds;
    await Promise.all([storeU.close(), capped.close()]);
    rmSync(capFile, { force: true });
    const ratio = mbps(best(storeRuns)) / mbps(best(curlRuns));
    const capErr = Math.abs(measuredKBps - capKBps) / capKBps;
    const lines = [
      `Apache 2.4 mod_dav on 127.0.0.1, ${sizeMB} MiB of incompressible bytes, best of 3.`, '',
      '| upload | seconds | MB/s |', '|---|---|---|',
      `| \`curl -T\` | ${best(curlRuns).toFixed(2)} | ${mbps(best(curlRuns)).toFixed(0)} |`,
      `| Rempart WebDAV store (temp PUT + size check + MOVE) | ${best(storeRuns).toFixed(2)} | ${mbps(best(storeRuns)).toFixed(0)} |`, '',
      `- ${ratio >= 0.8 ? '✅' : '❌'} throughput ${(ratio * 100).toFixed(0)} % of curl -T (goal ≥ 80 %)`,
      `- ${capErr <= 0.1 ? '✅' : '❌'} bandwidth cap ${capKBps} KB/s: measured ${measuredKBps.toFixed(0)} KB/s over 8 MiB (${(capErr * 100).toFixed(1)} % off, goal ≤ 10 %)`,
    ];
    console.error(lines.join('\n'));
    return { lines };
  } finally {
    rmSync(file, { force: true });
    await server.stop();
  }
}

// `node --import tsx bench/upload.ts WORKDIR SIZE_MB`: runs the phase alone and prints its result as one JSON line.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [work, size] = process.argv.slice(2);
  runUploadBench(work, Number(size || 256))
    .then((r) => console.log(JSON.stringify(r)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
