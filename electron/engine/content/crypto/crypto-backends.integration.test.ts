/**
 * The WebAssembly fallback against the reference `age` CLI (Go): files the fallback writes decrypt with `age -d`, files
 * `age -e` writes decrypt with the fallback; and the same files cross to and from the native path.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { requireTools } from '../../../../test-support/tools.js';
import { AGE_CHUNK_SIZE, createDecryptStream, createEncryptStream, decrypt, encrypt, generateIdentity } from '../age/index.js';
import { cryptoBackend, useCryptoBackend } from './index.js';

const SIZES = [0, 1, AGE_CHUNK_SIZE, 3 * AGE_CHUNK_SIZE + 11];
let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rempart-crypto-fallback-'));
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await useCryptoBackend('auto');
});

async function collect(source: Buffer[], transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(source), transform, new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
  return Buffer.concat(out);
}

test('fallback X25519 files (buffer and stream) decrypt with `age -d -i` and with the native path', async (t) => {
  if (!requireTools(t, ['age'])) return;
  await useCryptoBackend('fallback');
  assert.equal(cryptoBackend(), 'wasm');
  const id = generateIdentity();
  const keyFile = join(dir, 'fallback-key.txt');
  writeFileSync(keyFile, `${id.identity}\n`);
  const recipients = [{ type: 'x25519' as const, recipient: id.recipient }];
  const files: Array<{ data: Buffer; file: string }> = [];
  for (const size of SIZES) {
    const data = randomBytes(size);
    await useCryptoBackend('fallback');
    const viaBuffer = join(dir, `wasm-buf-${size}.age`);
    writeFileSync(viaBuffer, await encrypt(data, recipients));
    const viaStream = join(dir, `wasm-stream-${size}.age`);
    writeFileSync(viaStream, await collect([data.subarray(0, 777), data.subarray(777)], createEncryptStream(recipients)));
    for (const file of [viaBuffer, viaStream]) {
      assert.deepEqual(execFileSync('age', ['-d', '-i', keyFile, file], { maxBuffer: 1 << 26 }), data, `${file}`);
      files.push({ data, file });
    }
  }
  await useCryptoBackend('native');
  for (const { data, file } of files) assert.deepEqual(await decrypt(readFileSync(file), [{ type: 'x25519', identity: id.identity }]), data, file);
});

test('`age -e -r` and native files decrypt with the fallback (buffer and stream, age-keygen keys, two recipients)', async (t) => {
  if (!requireTools(t, ['age', 'age-keygen'])) return;
  const keyFile = join(dir, 'keygen.txt');
  execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
  const keyText = readFileSync(keyFile, 'utf8');
  const recipient = /# public key: (age1\S+)/.exec(keyText)![1];
  await useCryptoBackend('native');
  const mine = generateIdentity();
  for (const size of SIZES) {
    const data = randomBytes(size);
    const plainFile = join(dir, `in-${size}`);
    writeFileSync(plainFile, data);
    const cliFile = join(dir, `cli-${size}.age`);
    execFileSync('age', ['-e', '-r', mine.recipient, '-r', recipient, '-o', cliFile, plainFile]);
    await useCryptoBackend('native');
    const native = await encrypt(data, [{ type: 'x25519', recipient }]);
    await useCryptoBackend('fallback');
    const cli = readFileSync(cliFile);
    assert.deepEqual(await decrypt(cli, [{ type: 'x25519', identity: keyText }]), data, `cli ${size}`);
    assert.deepEqual(await decrypt(cli, [{ type: 'x25519', identity: mine.identity }]), data, `cli, second recipient ${size}`);
    assert.deepEqual(await collect([cli], createDecryptStream([{ type: 'x25519', identity: keyText }])), data, `cli stream ${size}`);
    assert.deepEqual(await decrypt(native, [{ type: 'x25519', identity: keyText }]), data, `native ${size}`);
  }
});
