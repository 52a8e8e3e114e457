/**
 * Builds the renderer from the current sources into a folder private to this e2e run (.tmp/e2e-renderer), so the
 * specs never test a stale dist/renderer and never rebuild it behind another running server's back.
 * The specs' app is started with --static-dir pointing there (helpers/app.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
export const E2E_RENDERER_DIR = join(root, '.tmp', 'e2e-renderer');

export default function globalSetup(): void {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(root, 'renderer', 'vite.config.ts'), '--outDir', E2E_RENDERER_DIR, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0 || !existsSync(join(E2E_RENDERER_DIR, 'index.html'))) throw new Error(`renderer build for e2e failed (exit ${r.status})`);
}
