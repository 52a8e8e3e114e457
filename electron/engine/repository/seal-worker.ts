/**
 * Encrypts pack payloads on a worker thread, so the main thread keeps reading, chunking and zipping while a pack is
 * encrypted and hashed (the machines are small: every core counts). The age header (X25519 wrap of a fresh file key)
 * is built here with the content layer; the worker only runs the STREAM payload cipher (ChaCha20-Poly1305, 64 KiB
 * chunks, nonce = 11-byte big-endian counter ‖ last flag, as in content/age/payload.ts) and SHA-256 of the result.
 * The worker is inline code (no separate file to locate in a bundle). If it cannot run, encryption happens here.
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { decrypt, encrypt, generateIdentity } from '../content/age/index.js';
import { CHUNK_SIZE, PAYLOAD_NONCE_SIZE, payloadKey, TAG_SIZE } from '../content/age/payload.js';
import { buildHeader, FILE_KEY_BYTES } from '../content/age/stanzas.js';
import { sha256Hex } from '../content/hashing.js';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createCipheriv, createHash, createSecretKey } = require('node:crypto');
const CHUNK = ${CHUNK_SIZE}, TAG = ${TAG_SIZE};
parentPort.on('message', ({ id, key, prefix, plain }) => {
  try {
    const p = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
    const pre = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    const k = createSecretKey(Buffer.from(key.buffer, key.byteOffset, key.byteLength));
    const chunks = Math.max(1, Math.ceil(p.length / CHUNK));
    const out = Buffer.allocUnsafeSlow(pre.length + p.length + chunks * TAG);
    let pos = pre.copy(out, 0);
    const nonce = Buffer.alloc(12);
    for (let i = 0; i < chunks; i++) {
      nonce.writeUIntBE(i, 5, 6);
      nonce[11] = i === chunks - 1 ? 1 : 0;
      const c = createCipheriv('chacha20-poly1305', k, nonce, { authTagLength: TAG });
      pos += c.update(p.subarray(i * CHUNK, Math.min(p.length, (i + 1) * CHUNK))).copy(out, pos);
      c.final();
      pos += c.getAuthTag().copy(out, pos);
    }
    const sha256 = createHash('sha256').update(out).digest('hex');
    const spent = plain.byteLength > 8192 && plain.buffer.byteLength > 8192;
    parentPort.postMessage({ id, out, sha256, spent: spent ? plain : null }, spent ? [out.buffer, plain.buffer] : [out.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Pending {
  resolve: (r: { data: Buffer; sha256: string }) => void;
  reject: (err: Error) => void;
}

/** REMPART_SEAL_THREAD=0 keeps encryption on the calling thread (diagnostics). */
let enabled = process.env.REMPART_SEAL_THREAD !== '0';
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

let verified: Promise<boolean> | null = null;

/** Tests switch the worker off to exercise the in-thread path. */
export function setSealWorkerEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Known-answer check, once: what the worker writes must decrypt with the content layer (Electron's BoringSSL, for one,
 * lacks chacha20-poly1305 in createCipheriv). On any doubt the worker is dropped and packs are encrypted in-thread.
 */
function verifyWorker(w: Worker): Promise<boolean> {
  verified ??= (async () => {
    try {
      const { identity, recipient } = generateIdentity();
      const probe = Buffer.alloc(70_000, 0x5a);
      const { data, sha256 } = await viaWorker(w, probe, recipient, false);
      const ok = sha256 === sha256Hex(data) && (await decrypt(data, [{ type: 'x25519', identity }])).equals(probe);
      if (!ok) throw new Error('mismatch');
      return true;
    } catch {
      enabled = false;
      worker = null;
      void w.terminate();
      return false;
    }
  })();
  return verified;
}

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker = null;
}

function getWorker(): Worker | null {
  if (!enabled) return null;
  if (worker) return worker;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.on('message', (m: { id: number; out?: Uint8Array; sha256?: string; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if (m.error || !m.out || !m.sha256) p.reject(new Error(`pack encryption failed: ${m.error ?? 'no output'}`));
      else p.resolve({ data: Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength), sha256: m.sha256 });
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => failAll(new Error(`pack encryption worker exited (${code})`)));
    w.unref();
    worker = w;
    return w;
  } catch {
    enabled = false; // no worker threads here: encrypt in this thread from now on
    return null;
  }
}

/**
 * age-encrypts `plain` to `recipient` and hashes the result. With `handOver`, the caller gives up `plain`: its whole
 * ArrayBuffer moves to the worker without a copy (and is detached here), so it must not share memory with anything else.
 */
export async function encryptPack(plain: Buffer, recipient: string, handOver = false): Promise<{ data: Buffer; sha256: string }> {
  const w = getWorker();
  if (w && (await verifyWorker(w)) && worker === w) return viaWorker(w, plain, recipient, handOver);
  const data = await encrypt(plain, [{ type: 'x25519', recipient }]);
  return { data, sha256: sha256Hex(data) };
}

async function viaWorker(w: Worker, plain: Buffer, recipient: string, handOver: boolean): Promise<{ data: Buffer; sha256: string }> {
  const fileKey = randomBytes(FILE_KEY_BYTES);
  const header = await buildHeader(fileKey, [{ type: 'x25519', recipient }]);
  const nonce = randomBytes(PAYLOAD_NONCE_SIZE);
  const key = payloadKey(fileKey, nonce);
  const prefix = Buffer.concat([header, nonce]);
  const transfer = handOver && plain.buffer instanceof ArrayBuffer && plain.buffer.byteLength > 8192;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref(); // a pending encryption keeps the process alive
    w.postMessage({ id, key, prefix, plain }, transfer ? [plain.buffer as ArrayBuffer] : []);
  });
}
