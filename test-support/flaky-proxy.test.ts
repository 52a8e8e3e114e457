/** The fault-injecting proxy itself, against a plain Node TCP echo/sink server on loopback. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createFlakyProxy, type FlakyProxy } from './flaky-proxy.js';

let sink: net.Server;
let received = 0;
let proxy: FlakyProxy;

before(async () => {
  // Echoes everything back and counts bytes that arrived.
  sink = net.createServer((s) => {
    s.on('error', () => {});
    s.on('data', (b) => {
      received += b.length;
      s.write(b);
    });
    s.on('end', () => s.end());
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
  proxy = await createFlakyProxy({ port: (sink.address() as net.AddressInfo).port });
});
after(async () => {
  await proxy.close();
  sink.close();
});

/** Sends `bytes`, collects the echo until the socket ends, errors, or `quietMs` pass without data. */
function exchange(bytes: number, quietMs = 500): Promise<{ echoed: number; outcome: 'end' | 'error' | 'quiet'; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s = net.connect(proxy.port, '127.0.0.1');
    let echoed = 0;
    let timer: NodeJS.Timeout;
    const finish = (outcome: 'end' | 'error' | 'quiet') => {
      clearTimeout(timer);
      s.destroy();
      resolve({ echoed, outcome, ms: Date.now() - t0 });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(echoed >= bytes ? 'end' : 'quiet'), quietMs);
    };
    s.on('data', (b) => {
      echoed += b.length;
      arm();
      if (echoed >= bytes) finish('end');
    });
    s.on('error', () => finish('error'));
    s.on('close', () => finish(echoed >= bytes ? 'end' : 'error'));
    s.write(Buffer.alloc(bytes, 1));
    arm();
  });
}

test('clean pass-through', async () => {
  proxy.configure({});
  const r = await exchange(300_000);
  assert.equal(r.outcome, 'end');
  assert.equal(r.echoed, 300_000);
});

test('reset after N bytes up: the server sees at most N, the client gets an error', async () => {
  proxy.configure({ cutAfter: 100_000, dir: 'up', mode: 'reset' });
  const before = received;
  const r = await exchange(300_000);
  assert.equal(r.outcome, 'error');
  await new Promise((res) => setTimeout(res, 100));
  assert.ok(received - before <= 100_000, `${received - before}`); // a reset may drop what was still queued
});

test('stall: data stops, the connection stays open (a black hole)', async () => {
  proxy.configure({ cutAfter: 50_000, dir: 'down', mode: 'stall' });
  const r = await exchange(200_000, 400);
  assert.equal(r.outcome, 'quiet');
  assert.ok(r.echoed <= 50_000, `${r.echoed}`);
  proxy.dropAll();
});

test('failConnections: only the first N connections get the fault', async () => {
  proxy.configure({ cutAfter: 1000, dir: 'up', mode: 'close', failConnections: 1 });
  assert.notEqual((await exchange(5000)).outcome, 'end');
  assert.equal((await exchange(5000)).outcome, 'end');
});

test('bandwidth cap and latency', async () => {
  proxy.configure({ bps: 1_000_000, latencyMs: 50 });
  const r = await exchange(500_000);
  assert.equal(r.outcome, 'end');
  // 500 kB at 1 MB/s each way, pipelined: about 0.5 s plus latency.
  assert.ok(r.ms >= 450 && r.ms < 2000, `${r.ms} ms`);
});

test('upBudget: the whole network dies after N bytes up, new connections included, until reconfigured', async () => {
  proxy.configure({ upBudget: 100_000 });
  assert.equal((await exchange(60_000)).outcome, 'end');
  assert.equal((await exchange(60_000)).outcome, 'error');
  assert.equal((await exchange(10)).outcome, 'error');
  proxy.configure({});
  assert.equal((await exchange(10)).outcome, 'end');
});
