/**
 * age throughput on this machine: `node --import tsx electron/engine/content/age/age.bench.ts [MiB]`.
 * Streams are fed 1 MiB writes (like a file read stream) and drained by a byte-counting sink. Median of 5 runs.
 * `REMPART_CRYPTO_FALLBACK=1` measures the WebAssembly fallback (Electron's path) instead of node:crypto.
 */
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cryptoBackend } from '../runtime-support.js';
import { createDecryptStream, createEncryptStream, decrypt, encrypt, encryptParts, generateIdentity } from './index.js';

const size = Number(process.argv[2] ?? 64) * 1024 * 1024;
const data = randomBytes(size);
const id = generateIdentity();
const recipients = [{ type: 'x25519' as const, recipient: id.recipient }];
const identities = [{ type: 'x25519' as const, identity: id.identity }];

function pieces(buf: Buffer, piece = 1 << 20): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += piece) out.push(buf.subarray(i, i + piece));
  return out;
}

async function drain(source: Buffer[], transform: NodeJS.ReadWriteStream): Promise<Buffer[]> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(source), transform, new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
  return out;
}

/** Prints the median wall-clock rate and the median rate per CPU second (the machine is shared: CPU time is steadier). */
async function measure(name: string, fn: () => Promise<unknown>): Promise<void> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(c);
    wall.push(Number(process.hrtime.bigint() - t) / 1e9);
    cpu.push((d.user + d.system) / 1e6);
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[2];
  console.log(`${name.padEnd(16)} ${Math.round(size / 1e6 / med(wall))} MB/s wall, ${Math.round(size / 1e6 / med(cpu))} MB/s per CPU second`);
}

console.log(`crypto backend: ${cryptoBackend()}`);
const ct = await encrypt(data, recipients);
const ctPieces = pieces(ct);
await measure('encrypt stream', () => drain(pieces(data), createEncryptStream(recipients)));
await measure('decrypt stream', () => drain(ctPieces, createDecryptStream(identities)));
await measure('encrypt buffer', () => encrypt(data, recipients));
await measure('encrypt parts', () => encryptParts(data, recipients));
await measure('decrypt buffer', () => decrypt(ct, identities));
