/**
 * Test helpers shared by integration tests: external tools and free ports.
 * A missing tool skips the test on a developer machine but fails it in CI (CI=true), where .ci/run installed everything.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Returns true when every tool is present. Otherwise skips the test (locally) or throws (in CI). */
export function requireTools(t: TestContext, tools: string[]): boolean {
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length === 0) return true;
  const msg = `missing tools: ${missing.join(', ')} (run scripts/install-test-deps.sh)`;
  if (process.env.CI) throw new Error(msg);
  t.skip(msg);
  return false;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** A free TCP port on 127.0.0.1 (bind to 0, read, release). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor(fn: () => Promise<boolean> | boolean, timeoutMs = 10_000, stepMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
