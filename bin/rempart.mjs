#!/usr/bin/env node
// Entry point of the `rempart` command. Runs the built CLI (dist/electron/cli/main.js) when it is present and not
// older than the sources beside it; otherwise the TypeScript source through tsx, so `npx rempart …` works straight
// from a checkout. REMPART_FROM_SOURCE=1 forces the source.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'electron', 'cli', 'main.js');

/** Newest modification time of the .ts files under a folder (0 when there is none: an installed package). */
function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const useBuilt =
  !process.env.REMPART_FROM_SOURCE &&
  existsSync(built) &&
  statSync(built).mtimeMs >= Math.max(newestSource(join(root, 'electron', 'engine')), newestSource(join(root, 'electron', 'cli')));

if (useBuilt) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'electron', 'cli', 'main.ts')).href);
}
