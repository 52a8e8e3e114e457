/**
 * Test helper run as a child process: one backup run of the app against a WebDAV repository, as a separate process
 * (so an interrupted run leaves a lock of a dead process, as a closed app or a shut-down PC would).
 * argv[2]: JSON { url, username, password, passphrase, source, cacheDir }. Prints the outcome as one JSON line.
 */
import { backup, openRepository, toErrorInfo } from '../../index.js';
import { WebdavStore } from './webdav-store.js';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  username: string;
  password: string;
  passphrase: string;
  source: string;
  cacheDir: string;
};
const store = new WebdavStore({
  url: args.url,
  username: args.username,
  password: args.password,
  retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 300 },
  idleTimeoutMs: 5000,
});
try {
  const repo = await openRepository(store, { passphrase: args.passphrase }, { cacheDir: args.cacheDir });
  const [outcome] = await backup({ repositories: [repo], sources: [args.source] });
  console.log(JSON.stringify(outcome?.ok ? { ok: true, newPacks: outcome.newPacks.length } : { ok: false, error: outcome?.error }));
  process.exit(0); // like a closed app: no graceful unlock
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: toErrorInfo(err) }));
  process.exit(0);
}
