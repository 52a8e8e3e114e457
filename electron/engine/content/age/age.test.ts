import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isRempartError } from '../../base/errors.js';
import {
  AGE_CHUNK_SIZE,
  createDecryptStream,
  createEncryptStream,
  decrypt,
  encrypt,
  encryptParts,
  generateIdentity,
  recipientOf,
  type AgeIdentity,
  type AgeRecipient,
} from './index.js';

const alice = generateIdentity();
const bob = generateIdentity();
const toAlice: AgeRecipient[] = [{ type: 'x25519', recipient: alice.recipient }];
const asAlice: AgeIdentity[] = [{ type: 'x25519', identity: alice.identity }];
const asBob: AgeIdentity[] = [{ type: 'x25519', identity: bob.identity }];
const SIZES = [0, 1, 100, AGE_CHUNK_SIZE - 1, AGE_CHUNK_SIZE, AGE_CHUNK_SIZE + 1, 2 * AGE_CHUNK_SIZE, 3 * AGE_CHUNK_SIZE + 17];

/** Feeds `data` to a transform in pieces of `piece` bytes and collects the output. */
async function throughStream(stream: NodeJS.ReadWriteStream, data: Buffer, piece: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += piece) parts.push(data.subarray(i, i + piece));
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      out.push(chunk);
      cb();
    },
  });
  await pipeline(Readable.from(parts), stream, sink);
  return Buffer.concat(out);
}

async function rejectsWith(p: Promise<unknown>, code: 'DATA_CORRUPT' | 'WRONG_PASSPHRASE'): Promise<void> {
  await assert.rejects(p, (err) => {
    assert.ok(isRempartError(err, code), `expected ${code}, got ${String(err)}`);
    return true;
  });
}

test('identities: recipientOf matches generateIdentity; formats are age Bech32', () => {
  assert.match(alice.identity, /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
  assert.match(alice.recipient, /^age1[0-9a-z]{58}$/);
  assert.equal(recipientOf(alice.identity), alice.recipient);
  assert.notEqual(alice.recipient, bob.recipient);
  assert.throws(() => recipientOf('AGE-SECRET-KEY-1QQQ'), (e) => isRempartError(e, 'INVALID_INPUT'));
});

test('whole-buffer round trip, including empty and exact multiples of 64 KiB', async () => {
  for (const size of SIZES) {
    const data = randomBytes(size);
    const ct = await encrypt(data, toAlice);
    assert.deepEqual(await decrypt(ct, asAlice), data, `size ${size}`);
  }
});

test('encryption in place (the plaintext at the start of the output buffer) gives a file that decrypts to the input', async () => {
  for (const size of SIZES) {
    const data = randomBytes(size);
    const room = Buffer.alloc(size + 64 * 1024 + 16 * Math.ceil(size / 65536 + 1), 0xee);
    data.copy(room, 0);
    const ct = await encrypt(room.subarray(0, size), toAlice, room);
    assert.equal(ct.buffer, room.buffer, 'written into the given buffer');
    assert.equal(ct.length, (await encrypt(data, toAlice)).length, `size ${size}`);
    assert.deepEqual(await decrypt(ct, asAlice), data, `size ${size}`);
  }
});

test('encryptParts: pieces concatenate to a valid age file of the announced size', async () => {
  for (const size of SIZES) {
    const data = randomBytes(size);
    const { parts, size: total } = await encryptParts(data, toAlice);
    const file = Buffer.concat(parts);
    assert.equal(file.length, total);
    assert.deepEqual(await decrypt(file, asAlice), data, `size ${size}`);
  }
});

test('stream round trip with odd and aligned write sizes; stream and buffer formats interoperate', async () => {
  for (const size of SIZES) {
    const data = randomBytes(size);
    for (const piece of [7, 4096, AGE_CHUNK_SIZE, 200_000]) {
      const ct = await throughStream(createEncryptStream(toAlice), data, piece);
      assert.deepEqual(await decrypt(ct, asAlice), data, `enc stream size ${size} piece ${piece}`);
      const ct2 = await encrypt(data, toAlice);
      assert.deepEqual(await throughStream(createDecryptStream(asAlice), ct2, piece), data, `dec stream size ${size} piece ${piece}`);
    }
  }
});

test('multiple recipients: each identity decrypts; a stranger gets WRONG_PASSPHRASE', async () => {
  const data = randomBytes(1000);
  const ct = await encrypt(data, [...toAlice, { type: 'x25519', recipient: bob.recipient }]);
  assert.deepEqual(await decrypt(ct, asAlice), data);
  assert.deepEqual(await decrypt(ct, asBob), data);
  const eve = generateIdentity();
  await rejectsWith(decrypt(ct, [{ type: 'x25519', identity: eve.identity }]), 'WRONG_PASSPHRASE');
  await rejectsWith(throughStream(createDecryptStream(asBob), await encrypt(data, toAlice), 100), 'WRONG_PASSPHRASE');
  // A key file holding several identities: any of them may match.
  const keyFile = `# several keys\n${eve.identity}\n\n${bob.identity}\n`;
  assert.deepEqual(await decrypt(await encrypt(data, [{ type: 'x25519', recipient: bob.recipient }]), [{ type: 'x25519', identity: keyFile }]), data);
});

test('scrypt: round trip with a low work factor, wrong passphrase, work factor above the maximum', async () => {
  const data = randomBytes(70_000);
  const ct = await encrypt(data, [{ type: 'scrypt', passphrase: 'très secret 🔐', workFactor: 10 }]);
  assert.match(ct.subarray(0, 80).toString('latin1'), /\n-> scrypt [A-Za-z0-9+/]{22} 10\n/);
  assert.deepEqual(await decrypt(ct, [{ type: 'scrypt', passphrase: 'très secret 🔐' }]), data);
  await rejectsWith(decrypt(ct, [{ type: 'scrypt', passphrase: 'tres secret' }]), 'WRONG_PASSPHRASE');
  await rejectsWith(decrypt(ct, [{ type: 'scrypt', passphrase: 'très secret 🔐', maxWorkFactor: 9 }]), 'DATA_CORRUPT');
  await rejectsWith(decrypt(ct, asAlice), 'WRONG_PASSPHRASE');
  await assert.rejects(
    encrypt(data, [{ type: 'scrypt', passphrase: 'x', workFactor: 10 }, ...toAlice]),
    (e) => isRempartError(e, 'INVALID_INPUT'),
  );
});

test('every single-byte corruption, truncation and appended data is DATA_CORRUPT (buffer and stream)', async () => {
  const data = randomBytes(2 * AGE_CHUNK_SIZE + 5);
  const ct = await encrypt(data, toAlice);
  const headerEnd = ct.indexOf('\n---') + 1;
  // Flip bytes in the header MAC line, the nonce, each chunk body, each tag.
  const positions = [headerEnd + 10, ct.indexOf('\n', headerEnd) + 3, ct.length - 1, ct.length - 20, ct.length - 100, ct.length - 70_000];
  for (const pos of positions) {
    const bad = Buffer.from(ct);
    bad[pos] ^= 0x01;
    await rejectsWith(decrypt(bad, asAlice), 'DATA_CORRUPT');
    await rejectsWith(throughStream(createDecryptStream(asAlice), bad, 10_000), 'DATA_CORRUPT');
  }
  // A flipped recipient stanza body: no identity matches any more.
  const badStanza = Buffer.from(ct);
  badStanza[ct.indexOf('\n', ct.indexOf('-> X25519')) + 5] ^= 0x01;
  await assert.rejects(decrypt(badStanza, asAlice), (e) => isRempartError(e));
  for (const cut of [1, 15, 16, 17, 1000, ct.length - headerEnd - 40, ct.length - 10]) {
    const truncated = ct.subarray(0, ct.length - cut);
    await rejectsWith(decrypt(truncated, asAlice), 'DATA_CORRUPT');
    await rejectsWith(throughStream(createDecryptStream(asAlice), truncated, 4096), 'DATA_CORRUPT');
  }
  for (const extra of [Buffer.from([0]), randomBytes(16), randomBytes(70_000)]) {
    const extended = Buffer.concat([ct, extra]);
    await rejectsWith(decrypt(extended, asAlice), 'DATA_CORRUPT');
    await rejectsWith(throughStream(createDecryptStream(asAlice), extended, 4096), 'DATA_CORRUPT');
  }
});

test('exact multiple of 64 KiB: dropping the last full chunk or appending an empty last chunk is detected', async () => {
  const data = randomBytes(2 * AGE_CHUNK_SIZE);
  const ct = await encrypt(data, toAlice);
  await rejectsWith(decrypt(ct.subarray(0, ct.length - (AGE_CHUNK_SIZE + 16)), asAlice), 'DATA_CORRUPT');
  await rejectsWith(decrypt(Buffer.concat([ct, randomBytes(16)]), asAlice), 'DATA_CORRUPT');
});

test('not an age file, empty input, garbage header: DATA_CORRUPT', async () => {
  for (const bad of [Buffer.alloc(0), Buffer.from('hello world\n'), Buffer.from('age-encryption.org/v1\n-> X25519\n'), randomBytes(5000)]) {
    await rejectsWith(decrypt(bad, asAlice), 'DATA_CORRUPT');
    await rejectsWith(throughStream(createDecryptStream(asAlice), bad, 100), 'DATA_CORRUPT');
  }
});
