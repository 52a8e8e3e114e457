import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RempartError } from '../engine/index.js';
import { int, list, parse, UsageError } from './args.js';
import { errorLine, formatInfo } from './error-text.js';
import { formatBytes, formatDuration } from './progress.js';
import { decodeWriterKey, encodeWriterKey } from './secrets.js';

test('args: repeatable options, positionals, strict unknown options, integers', () => {
  const p = parse(['--repo', '/r', '--exclude', '*.tmp', '--exclude', 'Cache/', 'A', 'B'], { exclude: { type: 'string', multiple: true } });
  assert.deepEqual(list(p, 'exclude'), ['*.tmp', 'Cache/']);
  assert.deepEqual(p.positionals, ['A', 'B']);
  assert.throws(() => parse(['--nope'], {}), UsageError);
  const q = parse(['--keep-daily', '7', '--keep-yearly', '-1'], { 'keep-daily': { type: 'string' }, 'keep-yearly': { type: 'string' } });
  assert.equal(int(q, 'keep-daily'), 7);
  assert.equal(int(q, 'keep-yearly'), -1);
  assert.throws(() => int(parse(['--keep-daily', 'sept'], { 'keep-daily': { type: 'string' } }), 'keep-daily'), UsageError);
});

test('error lines: one line, code first, plain sentence, technical detail in brackets', () => {
  assert.equal(
    errorLine(new RempartError('WRONG_PASSPHRASE', 'age: no identity matched')).line,
    'error WRONG_PASSPHRASE: the passphrase does not open this repository',
  );
  assert.equal(
    formatInfo({ code: 'DATA_MISSING', message: 'pack 3fa9 is\nmissing' }),
    'error DATA_MISSING: some stored data is missing (pack 3fa9 is missing)',
  );
  assert.equal(errorLine(new Error('boom')).line, 'error UNKNOWN: boom');
  assert.match(errorLine(new UsageError('missing --repo DIR')).line, /^error INVALID_INPUT: missing --repo DIR/);
});

test('writer key round trip; garbage is a usage error', () => {
  const c = { repoId: 'r1', recipient: 'age1xyz', writerKey: Buffer.alloc(32, 7).toString('base64') };
  assert.deepEqual(decodeWriterKey(encodeWriterKey(c)), c);
  assert.throws(() => decodeWriterKey('not base64 json'), UsageError);
});

test('formatting of sizes and durations', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(5 * 1024 ** 3), '5.0 GiB');
  assert.equal(formatDuration(65), '1:05');
  assert.equal(formatDuration(3725), '1:02:05');
});
