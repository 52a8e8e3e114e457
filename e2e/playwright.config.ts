import { defineConfig } from '@playwright/test';

// One output folder per run (the runner's pid, inherited by its workers): engineers' parallel runs do not wipe each other's.
process.env.REMPART_E2E_RUN ??= String(process.pid);

/** E2E: the real UI in Debian's Chromium, served by the loopback bridge over the real host and engine. */
export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json']],
  outputDir: `../.tmp/e2e-results/run-${process.env.REMPART_E2E_RUN}`,
  use: {
    viewport: { width: 1100, height: 760 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
