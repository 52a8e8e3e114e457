/** A host in a child process killed with SIGKILL mid-run: the run is journaled as interrupted at the next start. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startHost } from './host.js';
import { addBulk, makeFixture, plugDrive, unwrap } from './test-helpers/host-fixture.js';

test('kill -9 of the host mid-run is journaled as interrupted at the next start', async () => {
  const f = await makeFixture('2026-11-24T09:00:00Z', { realClock: true });
  try {
    const mount = await plugDrive(f, 'CLE');
    await addBulk(join(f.src, 'Photos'), 40);
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./test-helpers/host-child.ts', import.meta.url).pathname, f.dataDir, f.drivesRoot, mount, f.src], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('RUNNING')) resolve();
        if (out.includes('DONE') || out.includes('FAILED')) reject(new Error(`child finished before the kill: ${out}`));
      });
      child.on('exit', () => reject(new Error(`child exited: ${out}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const host = await startHost({ dataDir: f.dataDir, driveRoots: [f.drivesRoot], timeZone: 'Europe/Paris', onError: () => undefined, ports: { drives: { list: async () => [] } } });
    try {
      const history = unwrap(await host.api.getHistory({}));
      assert.equal(history.length, 1);
      assert.equal(history[0].outcome, 'interrupted');
      assert.equal(history[0].error?.code, 'INTERRUPTED');
      const status = unwrap(await host.api.getStatus());
      assert.notEqual(status.targets[0].state, 'running');
    } finally {
      await host.stop();
    }
  } finally {
    await f.cleanup();
  }
});
