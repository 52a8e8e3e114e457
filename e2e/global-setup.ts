/**
 * Builds the renderer from the current sources into a folder private to this e2e run (.tmp/e2e-renderer-<pid>), so the
 * specs never test a stale dist/renderer, never rebuild it behind another running server's back, and two e2e runs at
 * once (engineers share the machine) do not empty each other's files. The path reaches the workers through
 * REMPART_E2E_STATIC_DIR (helpers/app.ts passes it as --static-dir); the folder is removed at the end of the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export default function globalSetup(): () => void {
  const outDir = join(root, '.tmp', `e2e-renderer-${process.pid}`);
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(root, 'renderer', 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0 || !existsSync(join(outDir, 'index.html'))) throw new Error(`renderer build for e2e failed (exit ${r.status})`);
  process.env.REMPART_E2E_STATIC_DIR = outDir;
  return () => rmSync(outDir, { recursive: true, force: true });
}
