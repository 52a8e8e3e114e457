/**
 * Test helper run as a child process with NODE_EXTRA_CA_CERTS (read by Node only at startup): one write + read over
 * https, and a stat through a host name the certificate does not cover. argv[2]: JSON { good, mismatched }.
 * Prints one JSON line.
 */
import { toErrorInfo } from '../../base/errors.js';
import { WebdavStore } from './webdav-store.js';

const { good, mismatched } = JSON.parse(process.argv[2] ?? '{}') as { good: string; mismatched: string };
const out: Record<string, unknown> = {};
const ok = new WebdavStore({ url: good, username: 'test', password: 'test', retry: { maxAttempts: 2, baseDelayMs: 50 } });
try {
  await ok.write('tls/hello.txt', Buffer.from('bonjour'), 7);
  out.read = (await ok.read('tls/hello.txt')).toString();
} catch (err) {
  out.goodError = toErrorInfo(err);
}
await ok.close();
const bad = new WebdavStore({ url: mismatched, username: 'test', password: 'test', retry: { maxAttempts: 2, baseDelayMs: 50 } });
try {
  await bad.stat('tls/hello.txt');
  out.mismatch = 'no error';
} catch (err) {
  out.mismatch = toErrorInfo(err);
}
await bad.close();
console.log(JSON.stringify(out));
