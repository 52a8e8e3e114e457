import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fsErrorToRempart, RempartError, toErrorInfo } from './errors.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

test('unplug errnos become DRIVE_UNPLUGGED, full ones DISK_FULL', () => {
  for (const c of ['ENOTCONN', 'ECONNABORTED', 'EIO', 'ENODEV']) assert.equal((fsErrorToRempart(errno(c), 'w') as RempartError).code, 'DRIVE_UNPLUGGED');
  assert.equal((fsErrorToRempart(errno('ENOSPC'), 'w') as RempartError).code, 'DISK_FULL');
  assert.equal((fsErrorToRempart(errno('EPERM'), 'w', { maybeFull: true }) as RempartError).code, 'DISK_FULL');
  assert.equal((fsErrorToRempart(errno('EPERM'), 'w') as RempartError).code, 'READ_ONLY');
  assert.equal((fsErrorToRempart(errno('EFBIG'), 'w') as RempartError).code, 'FILE_TOO_LARGE');
});

test('unknown errors cross the boundary as UNKNOWN with their message', () => {
  assert.deepEqual(toErrorInfo(new Error('boom')), { code: 'UNKNOWN', message: 'boom' });
});
