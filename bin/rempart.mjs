#!/usr/bin/env node
// Entry point of the `rempart` command. Runs the built CLI when present (dist/), otherwise the TypeScript
// source through tsx, so `npx rempart …` works straight from a checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/electron/cli/main.js`;
if (existsSync(built) && !process.env.REMPART_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(`${root}electron/cli/main.ts`).href);
}
