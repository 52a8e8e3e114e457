/** Interop with the reference `age` CLI (Go, Debian package) in both directions: X25519 and scrypt (through a pty). */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { requireTools } from '../../../../test-support/tools.js';
import { AGE_CHUNK_SIZE, createDecryptStream, createEncryptStream, decrypt, encrypt, generateIdentity, openPayload } from './index.js';

const SIZES = [0, 1, AGE_CHUNK_SIZE, 3 * AGE_CHUNK_SIZE, 1_000_003];
let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rempart-age-interop-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `argv` on a pseudo-terminal (util-linux `script`), answering each prompt that matches with `answer\n`. */
function runOnTty(argv: string[], answers: Array<[RegExp, string]>): Promise<void> {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', quoted, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let seen = '';
  const pending = [...answers];
  child.stdout.on('data', (d: Buffer) => {
    seen += d.toString();
    while (pending.length > 0 && pending[0][0].test(seen)) {
      child.stdin.write(`${pending.shift()![1]}\n`);
      seen = '';
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.end();
      if (code === 0 && pending.length === 0) resolve();
      else reject(new Error(`${argv.join(' ')} exited ${code}; unanswered prompts: ${pending.length}; output: ${seen}`));
    });
  });
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(stream, new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
  return Buffer.concat(out);
}

test('X25519: files from Rempart (buffer and stream) decrypt with `age -d -i`', async (t: TestContext) => {
  if (!requireTools(t, ['age'])) return;
  const id = generateIdentity();
  const keyFile = join(dir, 'rempart-key.txt');
  writeFileSync(keyFile, `# created by a Rempart test\n${id.identity}\n`);
  for (const size of SIZES) {
    const data = randomBytes(size);
    const viaBuffer = join(dir, `buf-${size}.age`);
    writeFileSync(viaBuffer, await encrypt(data, [{ type: 'x25519', recipient: id.recipient }]));
    assert.deepEqual(execFileSync('age', ['-d', '-i', keyFile, viaBuffer], { maxBuffer: 1 << 26 }), data, `buffer size ${size}`);
    const plainFile = join(dir, `plain-${size}`);
    writeFileSync(plainFile, data);
    const viaStream = join(dir, `stream-${size}.age`);
    writeFileSync(viaStream, await collect(createReadStream(plainFile).pipe(createEncryptStream([{ type: 'x25519', recipient: id.recipient }]))));
    assert.deepEqual(execFileSync('age', ['-d', '-i', keyFile, viaStream], { maxBuffer: 1 << 26 }), data, `stream size ${size}`);
  }
});

test('X25519: files from `age -e -r` (binary, armored, several recipients, age-keygen keys) decrypt with Rempart', async (t) => {
  if (!requireTools(t, ['age', 'age-keygen'])) return;
  const keyFile = join(dir, 'keygen.txt');
  execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
  const keyText = readFileSync(keyFile, 'utf8');
  const recipient = /# public key: (age1\S+)/.exec(keyText)![1];
  const other = generateIdentity();
  for (const size of SIZES) {
    const data = randomBytes(size);
    const plainFile = join(dir, `in-${size}`);
    writeFileSync(plainFile, data);
    const out = join(dir, `cli-${size}.age`);
    execFileSync('age', ['-e', '-r', other.recipient, '-r', recipient, '-o', out, plainFile]);
    const ct = readFileSync(out);
    assert.deepEqual(await decrypt(ct, [{ type: 'x25519', identity: keyText }]), data, `buffer size ${size}`);
    assert.deepEqual(await decrypt(ct, [{ type: 'x25519', identity: other.identity }]), data, `second recipient size ${size}`);
    assert.deepEqual(await collect(createReadStream(out).pipe(createDecryptStream([{ type: 'x25519', identity: keyText }]))), data);
    const payload = await openPayload(async (o, l) => ct.subarray(o, o + l), ct.length, [{ type: 'x25519', identity: keyText }]);
    assert.deepEqual(await payload.read(Math.floor(size / 2), size), data.subarray(Math.floor(size / 2)));
  }
  const armored = join(dir, 'armored.age');
  const data = randomBytes(5000);
  writeFileSync(join(dir, 'armored-in'), data);
  execFileSync('age', ['-e', '-a', '-r', recipient, '-o', armored, join(dir, 'armored-in')]);
  assert.deepEqual(await decrypt(readFileSync(armored), [{ type: 'x25519', identity: keyText }]), data);
});

test('scrypt: Rempart passphrase files decrypt with `age -d` on a pty, and `age -p` files decrypt with Rempart', async (t) => {
  if (!requireTools(t, ['age', 'script'])) return;
  const passphrase = 'Cle de secours 2026';
  const data = randomBytes(AGE_CHUNK_SIZE + 77);
  const ours = join(dir, 'ours-scrypt.age');
  writeFileSync(ours, await encrypt(data, [{ type: 'scrypt', passphrase, workFactor: 12 }]));
  const outFile = join(dir, 'ours-scrypt.out');
  await runOnTty(['age', '-d', '-o', outFile, ours], [[/Enter passphrase/, passphrase]]);
  assert.deepEqual(readFileSync(outFile), data);

  const plainFile = join(dir, 'scrypt-in');
  writeFileSync(plainFile, data);
  const theirs = join(dir, 'theirs-scrypt.age');
  await runOnTty(['age', '-p', '-o', theirs, plainFile], [[/Enter passphrase/, passphrase], [/Confirm passphrase/, passphrase]]);
  const ct = readFileSync(theirs);
  assert.match(ct.toString('latin1', 0, 100), /-> scrypt \S+ 18\n/);
  assert.deepEqual(await decrypt(ct, [{ type: 'scrypt', passphrase }]), data);
});
