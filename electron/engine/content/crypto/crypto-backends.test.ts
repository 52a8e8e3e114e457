/**
 * The same cases on both backends (node:crypto and the libsodium WebAssembly fallback), and across them: known answers,
 * primitive agreement, age files and sealed records made by one backend and opened by the other.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { isRempartError } from '../../base/errors.js';
import { AGE_CHUNK_SIZE, createDecryptStream, createEncryptStream, decrypt, encrypt, generateIdentity, openPayload, recipientOf } from '../age/index.js';
import { deriveKeys, open, randomKey, seal } from '../hashing.js';
import { cryptoBackend, primitives, useCryptoBackend, type CryptoMode } from './index.js';
import { CHACHA_VECTOR, HKDF_VECTOR, SCRYPT_VECTOR, X25519_VECTOR } from './vectors.js';

const MODES = ['native', 'fallback'] as const;
const other = (m: (typeof MODES)[number]) => (m === 'native' ? 'fallback' : 'native');
after(() => useCryptoBackend('auto'));

async function on<T>(mode: CryptoMode, fn: () => T | Promise<T>): Promise<T> {
  await useCryptoBackend(mode);
  return fn();
}

async function collect(source: Buffer[], transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(source), transform, new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
  return Buffer.concat(out);
}

for (const mode of MODES) {
  test(`${mode}: known answers (RFC 8439 §2.8.2, RFC 7748 §6.1, RFC 5869 A.1, RFC 7914)`, async () => {
    await useCryptoBackend(mode);
    assert.equal(cryptoBackend(), mode === 'native' ? 'native' : 'wasm');
    const p = primitives();
    const c = CHACHA_VECTOR;
    const [ct, tag] = p.aeadSeal(c.key, c.nonce, c.plaintext, c.aad);
    assert.equal(ct.toString('hex'), c.ciphertext.toString('hex'));
    assert.equal(tag.toString('hex'), '1ae10b594f09e26a7e902ecbd0600691');
    assert.deepEqual(p.aeadKey(c.key).seal(c.nonce, c.plaintext, c.aad), [c.ciphertext, c.tag]);
    assert.deepEqual(p.aeadKey(c.key).open(c.nonce, c.ciphertext, c.tag, c.aad), c.plaintext);
    assert.equal(p.aeadOpen(c.key, c.nonce, c.ciphertext, c.tag, Buffer.from('other aad')), null);
    const x = X25519_VECTOR;
    assert.equal(p.x25519PublicKey(x.alicePrivate).toString('hex'), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    assert.equal(p.x25519PublicKey(x.bobPrivate).toString('hex'), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const k = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    assert.equal(p.x25519SharedSecret(x.alicePrivate, x.bobPublic)?.toString('hex'), k);
    assert.equal(p.x25519SharedSecret(x.bobPrivate, x.alicePublic)?.toString('hex'), k);
    assert.equal(p.x25519SharedSecret(x.alicePrivate, Buffer.alloc(32)), null, 'low-order point');
    const h = HKDF_VECTOR;
    assert.deepEqual(p.hkdfSha256(h.ikm, h.salt, h.info, 42), h.okm);
    const s = SCRYPT_VECTOR;
    assert.deepEqual(await p.scrypt(s.password, s.salt, s.params), s.key);
  });
}

test('primitives agree across backends on random inputs; each opens what the other sealed; tampering fails in both', async () => {
  for (let round = 0; round < 5; round++) {
    const key = randomKey();
    const nonce = randomBytes(12);
    const aad = round % 2 ? randomBytes(round) : undefined;
    const msg = randomBytes([0, 1, 1000, AGE_CHUNK_SIZE, AGE_CHUNK_SIZE + 7][round]);
    const priv = randomBytes(32);
    const peer = randomBytes(32);
    const results = new Map<string, { sealed: [Buffer, Buffer]; pub: Buffer; shared: Buffer | null; okm: Buffer; scrypt: Buffer }>();
    for (const mode of MODES) {
      const p = await on(mode, primitives);
      results.set(mode, {
        sealed: p.aeadKey(key).seal(nonce, msg, aad),
        pub: p.x25519PublicKey(priv),
        shared: p.x25519SharedSecret(priv, p.x25519PublicKey(peer)),
        okm: p.hkdfSha256(key, nonce, `info ${round}`, 1 + round * 40),
        scrypt: await p.scrypt(msg.subarray(0, 20), nonce, { N: 1024, r: 8, p: 1, dkLen: 32 }),
      });
    }
    const [n, f] = [results.get('native')!, results.get('fallback')!];
    assert.deepEqual(f, n, `round ${round}`);
    assert.ok(n.shared && n.shared.length === 32);
    for (const mode of MODES) {
      const p = await on(mode, primitives);
      const [ct, tag] = results.get(other(mode))!.sealed;
      assert.deepEqual(p.aeadOpen(key, nonce, ct, tag, aad), msg);
      const badTag = Buffer.from(tag);
      badTag[15] ^= 0x80;
      assert.equal(p.aeadOpen(key, nonce, ct, badTag, aad), null, `${mode}: flipped tag`);
      if (ct.length > 0) {
        const badCt = Buffer.from(ct);
        badCt[ct.length >> 1] ^= 1;
        assert.equal(p.aeadKey(key).open(nonce, badCt, tag, aad), null, `${mode}: flipped ciphertext`);
      }
      assert.equal(p.aeadOpen(randomKey(), nonce, ct, tag, aad), null, `${mode}: wrong key`);
    }
  }
});

for (const from of MODES) {
  const to = other(from);
  test(`age: X25519 and scrypt files from ${from} decrypt with ${to} (buffer, stream, random access)`, async () => {
    const id = await on(from, generateIdentity);
    assert.equal(await on(to, () => recipientOf(id.identity)), id.recipient);
    const recipients = [{ type: 'x25519' as const, recipient: id.recipient }];
    const identities = [{ type: 'x25519' as const, identity: id.identity }];
    for (const size of [0, 1, AGE_CHUNK_SIZE, 2 * AGE_CHUNK_SIZE + 5]) {
      const data = randomBytes(size);
      const viaBuffer = await on(from, () => encrypt(data, recipients));
      const viaStream = await on(from, () => collect([data.subarray(0, 1000), data.subarray(1000)], createEncryptStream(recipients)));
      await useCryptoBackend(to);
      assert.deepEqual(await decrypt(viaBuffer, identities), data, `buffer ${size}`);
      assert.deepEqual(await collect([viaStream], createDecryptStream(identities)), data, `stream ${size}`);
      const reader = await openPayload(async (o, l) => viaStream.subarray(o, o + l), viaStream.length, identities);
      assert.deepEqual(await reader.read(Math.min(size, 3), size), data.subarray(Math.min(size, 3)));
      const bad = Buffer.from(viaBuffer);
      bad[bad.length - 1] ^= 1;
      await assert.rejects(decrypt(bad, identities), (e) => isRempartError(e, 'DATA_CORRUPT'));
      await assert.rejects(decrypt(viaBuffer, [{ type: 'x25519', identity: generateIdentity().identity }]), (e) =>
        isRempartError(e, 'WRONG_PASSPHRASE'),
      );
    }
    const secret = randomBytes(300);
    const byPassphrase = await on(from, () => encrypt(secret, [{ type: 'scrypt', passphrase: 'café crème', workFactor: 10 }]));
    await useCryptoBackend(to);
    assert.deepEqual(await decrypt(byPassphrase, [{ type: 'scrypt', passphrase: 'café crème' }]), secret);
    await assert.rejects(decrypt(byPassphrase, [{ type: 'scrypt', passphrase: 'cafe creme' }]), (e) => isRempartError(e, 'WRONG_PASSPHRASE'));
  });

  test(`sealed records and derived keys: ${from} seals, ${to} opens`, async () => {
    const writerKey = randomKey();
    const keys = await on(from, () => deriveKeys(writerKey));
    assert.deepEqual(await on(to, () => deriveKeys(writerKey)), keys);
    for (const size of [0, 1, 5000]) {
      const data = randomBytes(size);
      const sealed = await on(from, () => seal(keys.sealKey, data));
      await useCryptoBackend(to);
      assert.deepEqual(open(keys.sealKey, sealed), data);
      const bad = Buffer.from(sealed);
      bad[bad.length - 3] ^= 4;
      assert.throws(() => open(keys.sealKey, bad), (e) => isRempartError(e, 'DATA_CORRUPT'));
      assert.throws(() => open(deriveKeys(randomKey()).sealKey, sealed), (e) => isRempartError(e, 'DATA_CORRUPT'));
    }
  });
}

test('REMPART_CRYPTO_FALLBACK=1: the fallback is active as soon as the content layer is imported (sync seal works at once)', () => {
  const index = fileURLToPath(new URL('../index.ts', import.meta.url));
  const script = `
    const c = await import(${JSON.stringify(index)});
    const key = c.randomKey();
    const sealed = c.seal(key, Buffer.from('bonjour'));
    const id = c.generateIdentity();
    console.log(JSON.stringify({ backend: c.cryptoBackend(), choice: c.cryptoChoice(), opened: c.open(key, sealed).toString(),
      same: c.recipientOf(id.identity) === id.recipient }));`;
  const run = (env: NodeJS.ProcessEnv) =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' }));
  const forced = run({ REMPART_CRYPTO_FALLBACK: '1' });
  assert.deepEqual(forced, {
    backend: 'wasm',
    choice: { chacha20Poly1305: 'fallback', x25519: 'fallback', hkdf: 'fallback', scrypt: 'fallback' },
    opened: 'bonjour',
    same: true,
  });
  const plain = run({ REMPART_CRYPTO_FALLBACK: '' });
  assert.equal(plain.backend, 'native');
  assert.equal(plain.opened, 'bonjour');
});
