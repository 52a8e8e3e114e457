// The least memory any Node process with Rempart's thread layout needs to read a dataset: one worker thread reads every
// file and SHA-256-hashes it (a 1 MiB buffer), IDLE more workers only exist (the compression and seal threads' cost).
// No engine code. Run with /usr/bin/time to see the peak RSS:
//   /usr/bin/time -f 'peak %M KB' node bench/memory-floor.mjs bench/work/data 2
import { Worker } from 'node:worker_threads';

const [dir, idleArg = '2'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/memory-floor.mjs DATA_DIR [IDLE_WORKERS]');
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs'), path = require('node:path'), crypto = require('node:crypto');
if (!workerData.dir) parentPort.on('message', () => {});
else {
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const fd = fs.openSync(p, 'r');
        const h = crypto.createHash('sha256');
        for (let n; (n = fs.readSync(fd, buf, 0, buf.length)) > 0; bytes += n) h.update(buf.subarray(0, n));
        fs.closeSync(fd);
        h.digest();
      }
    }
  };
  walk(workerData.dir);
  parentPort.postMessage(bytes);
}
`;
const idle = Array.from({ length: Number(idleArg) }, () => new Worker(SOURCE, { eval: true, workerData: {} }));
const reader = new Worker(SOURCE, { eval: true, workerData: { dir } });
reader.on('message', (bytes) => {
  console.log(`read and hashed ${bytes} bytes with ${idle.length} idle worker(s) beside the reader`);
  for (const w of [...idle, reader]) void w.terminate();
});
