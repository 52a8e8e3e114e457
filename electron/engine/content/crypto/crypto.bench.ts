/**
 * Primitive throughput per backend: `node --import tsx electron/engine/content/crypto/crypto.bench.ts`.
 * Rates are per CPU second (the machine is shared), median of 5 runs.
 */
import { randomBytes } from 'node:crypto';
import { primitives, useCryptoBackend } from './index.js';

function perCpuSecond(fn: () => void): number {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const key = randomBytes(32);
const nonce = randomBytes(12);
const chunk = randomBytes(64 * 1024);
const record = randomBytes(1024);
const CHUNKS = 256;

for (const mode of ['native', 'fallback'] as const) {
  await useCryptoBackend(mode);
  const p = primitives();
  const k = p.aeadKey(key);
  const [ct, tag] = k.seal(nonce, chunk);
  const [rct, rtag] = p.aeadSeal(key, nonce, record);
  const peer = p.x25519PublicKey(randomBytes(32));
  const rates = { seal: [] as number[], open: [] as number[], small: [] as number[], smallOpen: [] as number[], x25519: [] as number[] };
  for (let run = 0; run < 5; run++) {
    rates.seal.push((CHUNKS * chunk.length) / 1e6 / perCpuSecond(() => { for (let i = 0; i < CHUNKS; i++) k.seal(nonce, chunk); }));
    rates.open.push((CHUNKS * chunk.length) / 1e6 / perCpuSecond(() => { for (let i = 0; i < CHUNKS; i++) k.open(nonce, ct, tag); }));
    rates.small.push(5000 / perCpuSecond(() => { for (let i = 0; i < 5000; i++) p.aeadSeal(key, nonce, record); }));
    rates.smallOpen.push(5000 / perCpuSecond(() => { for (let i = 0; i < 5000; i++) p.aeadOpen(key, nonce, rct, rtag); }));
    rates.x25519.push(500 / perCpuSecond(() => { for (let i = 0; i < 500; i++) p.x25519SharedSecret(key, peer); }));
  }
  const t = process.cpuUsage();
  await p.scrypt(Buffer.from('passphrase'), randomBytes(44), { N: 2 ** 18, r: 8, p: 1, dkLen: 32 });
  const scryptCpu = process.cpuUsage(t);
  console.log(
    `${mode.padEnd(8)} ChaCha20-Poly1305 64 KiB seal ${Math.round(median(rates.seal))} MB/s, open ${Math.round(median(rates.open))} MB/s; ` +
      `1 KiB records ${Math.round(median(rates.small))}/s seal, ${Math.round(median(rates.smallOpen))}/s open; ` +
      `X25519 ${Math.round(median(rates.x25519))}/s; scrypt 2^18 ${((scryptCpu.user + scryptCpu.system) / 1e6).toFixed(2)} CPU s`,
  );
}
