/** Header edge cases from the age spec (modelled on the C2SP/CCTV age test vectors), each with a valid header MAC. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isRempartError } from '../../base/errors.js';
import { encodeB64 } from './format.js';
import { ChunkCipher, payloadKey } from './payload.js';
import { buildHeader, headerMac, type AgeIdentity } from './stanzas.js';
import { decrypt, generateIdentity } from './index.js';

const id = generateIdentity();
const asId: AgeIdentity[] = [{ type: 'x25519', identity: id.identity }];
const asPass: AgeIdentity[] = [{ type: 'scrypt', passphrase: 'password' }];

/** A header's text up to and including "---" for `recipients`, with the file key used. */
async function headerText(recipients: Parameters<typeof buildHeader>[1]): Promise<{ text: string; fileKey: Buffer }> {
  const fileKey = randomBytes(16);
  const full = (await buildHeader(fileKey, recipients)).toString('latin1');
  return { text: full.slice(0, full.indexOf('\n---') + 4), fileKey };
}

/** Assembles a file from header text (re-MACed), a MAC line format and a one-chunk payload. */
function assemble(text: string, fileKey: Buffer, macLine = (mac: string) => ` ${mac}\n`, payload = Buffer.from('age')): Buffer {
  const mac = encodeB64(headerMac(fileKey, Buffer.from(text, 'latin1')));
  const nonce = randomBytes(16);
  const [ct, tag] = new ChunkCipher(payloadKey(fileKey, nonce)).seal(0, true, payload);
  return Buffer.concat([Buffer.from(text + macLine(mac), 'latin1'), nonce, ct, tag]);
}

const isCorrupt = (e: unknown) => isRempartError(e, 'DATA_CORRUPT');
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Sets an unused low bit of the last character of unpadded base64 of 32 bytes (43 chars: 2 spare bits). */
const nonCanonical = (s: string) => s.slice(0, -1) + B64[B64.indexOf(s[s.length - 1]) ^ 1];

test('a well-formed assembled file decrypts (the harness itself is sound)', async () => {
  const { text, fileKey } = await headerText([{ type: 'x25519', recipient: id.recipient }]);
  assert.equal((await decrypt(assemble(text, fileKey), asId)).toString(), 'age');
  const s = await headerText([{ type: 'scrypt', passphrase: 'password', workFactor: 10 }]);
  assert.equal((await decrypt(assemble(s.text, s.fileKey), asPass)).toString(), 'age');
});

test('unknown (grease) stanzas with long bodies are skipped; a 48-byte body needs its empty final line', async () => {
  const { text, fileKey } = await headerText([{ type: 'x25519', recipient: id.recipient }]);
  const grease48 = `-> grease-x a+b !c~\n${encodeB64(randomBytes(48))}\n\n`;
  const grease100 = `-> grease-y\n${encodeB64(randomBytes(100)).replace(/(.{64})/g, '$1\n')}\n`;
  const withGrease = text.replace('\n-> ', `\n${grease48}${grease100}-> `);
  assert.equal((await decrypt(assemble(withGrease, fileKey), asId)).toString(), 'age');
  const missingEmptyLine = text.replace('\n-> ', `\n${grease48.slice(0, -1)}-> `);
  await assert.rejects(decrypt(assemble(missingEmptyLine, fileKey), asId), isCorrupt);
});

test('malformed headers are DATA_CORRUPT', async () => {
  const { text, fileKey } = await headerText([{ type: 'x25519', recipient: id.recipient }]);
  const [version, stanzaLine, body] = text.split('\n');
  const cases: Record<string, string> = {
    'CRLF line endings': text.replace(/\n/g, '\r\n'),
    'empty argument': text.replace(stanzaLine, stanzaLine.replace(' ', '  ')),
    'non-VCHAR in argument': text.replace(stanzaLine, `${stanzaLine} caf\xe9`),
    'padded base64 body': text.replace(body, `${body}=`),
    'non-canonical base64 body': text.replace(body, nonCanonical(body)),
    'body line over 64 columns': text.replace(body, body + body.slice(0, 30)),
    'bad stanza start': text.replace('-> ', '->'),
    'wrong version': text.replace(version, 'age-encryption.org/v2'),
    'short X25519 share': text.replace(stanzaLine, '-> X25519 ' + encodeB64(randomBytes(31))),
    'long wrapped file key': text.replace(body, encodeB64(randomBytes(33))),
    'low-order X25519 share': text.replace(stanzaLine, '-> X25519 ' + encodeB64(Buffer.alloc(32))),
  };
  for (const [name, bad] of Object.entries(cases)) {
    await assert.rejects(decrypt(assemble(bad, fileKey), asId), isCorrupt, name);
  }
  const macLines: Record<string, (mac: string) => string> = {
    'extra space': (m) => `  ${m}\n`,
    'no space': (m) => `${m}\n`,
    'trailing space': (m) => ` ${m} \n`,
    truncated: (m) => ` ${m.slice(0, 40)}\n`,
    'not canonical': (m) => ` ${nonCanonical(m)}\n`,
    missing: () => '\n',
  };
  for (const [name, line] of Object.entries(macLines)) {
    await assert.rejects(decrypt(assemble(text, fileKey, line), asId), isCorrupt, `MAC ${name}`);
  }
  const badMac = Buffer.from(assemble(text, fileKey));
  badMac[text.length + 5] ^= 1;
  await assert.rejects(decrypt(badMac, asId), isCorrupt, 'bad MAC');
});

test('scrypt stanza rules: alone in the header, canonical decimal work factor ≤ 22, 16-byte salt', async () => {
  const { text, fileKey } = await headerText([{ type: 'scrypt', passphrase: 'password', workFactor: 10 }]);
  const [, stanzaLine] = text.split('\n');
  const salt = stanzaLine.split(' ')[2];
  // X25519 stanza wrapping this file's key + a scrypt stanza: refused even for the X25519 identity.
  const mixed = await headerText([{ type: 'x25519', recipient: id.recipient }]);
  const scryptPart = text.split('\n').slice(1, 3).join('\n');
  await assert.rejects(decrypt(assemble(mixed.text.replace('\n---', `\n${scryptPart}\n---`), mixed.fileKey), asId), isCorrupt, 'scrypt and x25519');
  const bad: Record<string, string> = {
    'work factor 23': '23',
    'leading zero': '010',
    'leading plus': '+10',
    hex: '0xa',
    zero: '0',
    negative: '-10',
  };
  for (const [name, wf] of Object.entries(bad)) {
    await assert.rejects(decrypt(assemble(text.replace(`${salt} 10`, `${salt} ${wf}`), fileKey), asPass), isCorrupt, name);
  }
  for (const [name, s] of Object.entries({ short: encodeB64(randomBytes(15)), long: encodeB64(randomBytes(17)), missing: '' })) {
    const line = s ? `-> scrypt ${s} 10` : '-> scrypt 10';
    await assert.rejects(decrypt(assemble(text.replace(stanzaLine, line), fileKey), asPass), isCorrupt, `salt ${name}`);
  }
  await assert.rejects(decrypt(assemble(text, fileKey), [{ type: 'scrypt', passphrase: 'wrong' }]), (e) => isRempartError(e, 'WRONG_PASSPHRASE'));
});
