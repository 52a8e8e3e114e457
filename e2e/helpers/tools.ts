/**
 * External tools the specs need (Apache for the WebDAV server). Missing: the spec is skipped on a developer machine but
 * FAILS in CI (CI=true), like requireTools in test-support/tools.ts for node:test.
 */
import { test } from '@playwright/test';
import { hasTool } from '../../test-support/tools.js';
import { WEBDAV_SERVER_TOOLS } from '../../test-support/webdav-servers.js';

export function requireApache(): void {
  const missing = WEBDAV_SERVER_TOOLS.apache.filter((tool) => !hasTool(tool));
  if (missing.length === 0) return;
  const msg = `missing tools: ${missing.join(', ')} (run scripts/install-test-deps.sh)`;
  if (process.env.CI) throw new Error(msg);
  test.skip(true, msg);
}
