/** Interop with the reference TypeScript implementation (`age-encryption` npm package, by age's author). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Decrypter, Encrypter, generateIdentity as npmGenerateIdentity, identityToRecipient } from 'age-encryption';
import { AGE_CHUNK_SIZE, decrypt, encrypt, generateIdentity, recipientOf } from './index.js';

const SIZES = [0, 1, AGE_CHUNK_SIZE, AGE_CHUNK_SIZE + 1, 3 * AGE_CHUNK_SIZE + 99];

test('X25519: Rempart encrypts, age-encryption decrypts', async () => {
  const id = generateIdentity();
  for (const size of SIZES) {
    const data = randomBytes(size);
    const ct = await encrypt(data, [{ type: 'x25519', recipient: id.recipient }]);
    const d = new Decrypter();
    d.addIdentity(id.identity);
    assert.deepEqual(Buffer.from(await d.decrypt(ct)), data, `size ${size}`);
  }
});

test('X25519: age-encryption encrypts, Rempart decrypts; keys agree', async () => {
  const identity = await npmGenerateIdentity();
  assert.equal(recipientOf(identity), await identityToRecipient(identity));
  for (const size of SIZES) {
    const data = randomBytes(size);
    const e = new Encrypter();
    e.addRecipient(await identityToRecipient(identity));
    const ct = Buffer.from(await e.encrypt(data));
    assert.deepEqual(await decrypt(ct, [{ type: 'x25519', identity }]), data, `size ${size}`);
  }
});

test('scrypt: both directions', async () => {
  const passphrase = 'mot de passe élevé';
  const data = randomBytes(AGE_CHUNK_SIZE + 5);
  const ours = await encrypt(data, [{ type: 'scrypt', passphrase, workFactor: 10 }]);
  const d = new Decrypter();
  d.addPassphrase(passphrase);
  assert.deepEqual(Buffer.from(await d.decrypt(ours)), data);
  const e = new Encrypter();
  e.setPassphrase(passphrase);
  e.setScryptWorkFactor(10);
  const theirs = Buffer.from(await e.encrypt(data));
  assert.deepEqual(await decrypt(theirs, [{ type: 'scrypt', passphrase }]), data);
});
