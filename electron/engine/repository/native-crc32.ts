/**
 * archiver (through compress-commons) computes the CRC-32 of every stored zip entry with the pure-JS `crc-32`
 * package, about 0.3 s of the main thread per 250 MB of packs. Node ≥ 20.15 has zlib.crc32 (native, several GB/s).
 * archiver offers no way to pass a precomputed CRC, so its `crc-32` module's `buf` is pointed at the native one: same
 * function (CRC-32/ISO-HDLC, optional running seed, signed 32-bit result as crc-32 returns it), checked on known
 * answers before it is swapped in. Where zlib.crc32 is missing, or the check fails, nothing changes.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

type Crc32Fn = (data: Uint8Array, seed?: number) => number;
const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let installed: boolean | null = null;

/** Makes archiver's CRC-32 native (once). Returns whether it is. */
export function useNativeCrc32(): boolean {
  if (installed !== null) return installed;
  installed = false;
  if (typeof nativeCrc32 !== 'function') return false;
  try {
    // the copy compress-commons itself loads (resolved from its own folder)
    const req = createRequire(createRequire(import.meta.url).resolve('compress-commons'));
    const mod = req('crc-32') as { buf: Crc32Fn };
    const js = mod.buf;
    const fast: Crc32Fn = (data, seed) => nativeCrc32(data, seed === undefined ? 0 : seed >>> 0) | 0;
    const probes = [Buffer.alloc(0), Buffer.from('123456789'), Buffer.from('rempart/v1 pack entry ✓'.repeat(99))];
    for (const p of probes) {
      if (fast(p) !== js(p) || fast(p, 0x1234abcd) !== js(p, 0x1234abcd)) return false;
    }
    if (fast(Buffer.from('123456789')) >>> 0 !== 0xcbf43926) return false;
    mod.buf = fast;
    installed = true;
  } catch {
    installed = false;
  }
  return installed;
}
