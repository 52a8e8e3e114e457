/**
 * The blob processor of the decode pool, as plain JavaScript source: it runs in each decode worker and, when workers
 * cannot run, on the calling thread (same code, same checks). It takes a batch (one buffer of stored blob bytes and a
 * description of each item) and, per item: decodes (raw, brotli, zstd), checks the length and the keyed id
 * (HMAC-SHA-256 with a KeyObject made once: a raw key costs a key import per call), then
 *  - 'check': reports ok or the failure;
 *  - 'plain': copies the plaintext into the answer buffer;
 *  - 'write': writes the plaintext, for each target: a whole new file of one blob (`direct`: checked against the file's
 *    size (and sha256, when given) first, created at its place with O_EXCL so nothing is ever replaced, given its mode and times), or
 *    part of a larger file (`tmp`: positional write into the file's temporary name, created empty by the caller).
 *  - 'finish': a larger file whose parts are all written: checked against its size (and, when its sha256 is given, re-read
 *    and checked against it), given its mode
 *    and times, renamed into place (or left under its temporary name when something exists at its place).
 * The batch buffer goes back to the caller for reuse (no allocation per batch on either side).
 */
export const PROCESSOR_SOURCE = `
function createProcessor(idKeyBytes, fs, crypto, zlib, createLock) {
  // Workers take turns to create files: two threads creating entries in one folder contend for its lock in the kernel,
  // which spins (a core burnt for nothing); this lock sleeps instead.
  const lock = createLock ? new Int32Array(createLock) : null;
  function creating(fn) {
    if (!lock) return fn();
    while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1, 50);
    try {
      return fn();
    } finally {
      Atomics.store(lock, 0, 0);
      Atomics.notify(lock, 0, 1);
    }
  }
  const idKey = crypto.createSecretKey(Buffer.from(idKeyBytes));
  const zstd = typeof zlib.zstdDecompressSync === 'function';
  const fds = new Map(); // file id -> fd of its temporary file (parts written here), least recently used first
  const MAX_FDS = 16;
  let readBuf = null;

  function fail(kind, err) {
    return { error: kind, code: err && err.code, message: String((err && err.message) || err) };
  }
  // zstd: one long-lived decoder context, fed one frame per blob through the stream's own synchronous write (what
  // zstdDecompressSync calls, which would make and free a context per blob: ~13 µs each), decoding into one scratch
  // buffer (the plaintext is used and dropped before the next blob). It is trusted only with an exact result: the whole
  // frame consumed and exactly rawLength bytes out (the buffer has one byte more, to see an overlong frame). Anything else
  // (an error, a short or long frame, a runtime without that internal) drops the context, and the blob is decoded again the
  // usual way, whose answer (and error message) counts. Every blob's bytes are then checked against its keyed id anyway.
  let zd; // undefined: not made yet; null: not available here
  let zdMisses = 0; // blobs it gave up on: past a few, this runtime decodes the usual way only
  let zdFrames = 0; // blobs it decoded (tests)
  let scratch = null;
  function reusedZstd(stored, rawLength) {
    if (zd === undefined) {
      try {
        const z = zlib.createZstdDecompress();
        const h = z._handle, st = z._writeState;
        if (!h || typeof h.writeSync !== 'function' || !st) throw new Error('no synchronous zstd handle');
        z.on('error', () => {}); // an error destroys the stream (checked below) and is emitted later
        zd = { z, h, st, END: zlib.constants.ZSTD_e_end };
      } catch {
        zd = null;
      }
    }
    if (!zd) return null;
    if (!scratch || scratch.length < rawLength + 1) scratch = Buffer.allocUnsafeSlow(Math.max(rawLength + 1, 1024 * 1024));
    const { z, h, st, END } = zd;
    try {
      h.writeSync(END, stored, 0, stored.length, scratch, 0, rawLength + 1);
    } catch {
      zd = ++zdMisses > 8 ? null : undefined;
      return null;
    }
    if (z.destroyed || st[1] !== 0 || st[0] !== 1) {
      zd = ++zdMisses > 8 ? null : undefined; // its state is unknown: a new context for the next blob
      return null;
    }
    zdFrames++;
    return scratch.subarray(0, rawLength);
  }
  function decode(it, stored) {
    // One output buffer of its own (never a slice of the shared Buffer pool, which small outputs would be), so that it
    // can be freed as soon as the blob is written (see release).
    const chunkSize = Math.max(it.rawLength + 1, Buffer.poolSize);
    const opts = { maxOutputLength: Math.max(1, it.rawLength + 1), chunkSize };
    if (it.codec === 'raw') return { plain: stored };
    if (it.codec === 'zstd' && zstd) {
      const plain = reusedZstd(stored, it.rawLength);
      if (plain) return { plain, owned: false };
    }
    if (it.codec === 'brotli' || (it.codec === 'zstd' && zstd)) {
      try {
        const plain = it.codec === 'brotli' ? zlib.brotliDecompressSync(stored, opts) : zlib.zstdDecompressSync(stored, opts);
        return { plain, owned: plain.byteOffset === 0 && plain.buffer.byteLength === chunkSize };
      } catch (err) {
        return { error: 'decode', message: it.codec + ' blob does not decompress: ' + ((err && err.message) || err) };
      }
    }
    if (it.codec === 'zstd') return { error: 'fallback' };
    return { error: 'decode', message: 'unknown blob codec "' + it.codec + '"' };
  }
  function verify(it, stored) {
    const d = decode(it, stored);
    if (d.error) return d;
    if (d.plain.length !== it.rawLength) return { error: 'decode', message: 'blob length ' + d.plain.length + ' differs from the recorded ' + it.rawLength };
    if (crypto.createHmac('sha256', idKey).update(d.plain).digest('hex') !== it.id) return { error: 'id' };
    return d;
  }
  function writeAll(fd, buf, position) {
    let done = 0;
    while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, position === null ? null : position + done);
  }
  function fdOf(file, tmp) {
    let fd = fds.get(file);
    if (fd !== undefined) {
      fds.delete(file);
      fds.set(file, fd);
      return fd;
    }
    fd = fs.openSync(tmp, 'r+'); // created by the caller: never created here (a dropped file stays dropped)
    fds.set(file, fd);
    while (fds.size > MAX_FDS) forget(fds.keys().next().value);
    return fd;
  }
  function forget(file) {
    const fd = fds.get(file);
    if (fd === undefined) return;
    fds.delete(file);
    try { fs.closeSync(fd); } catch {}
  }
  function writeDirect(f, plain) {
    if (plain.length !== f.size || (f.sha256 && crypto.createHash('sha256').update(plain).digest('hex') !== f.sha256)) return { error: 'content' };
    let fd = -1;
    try {
      fd = creating(() => fs.openSync(f.dest, 'wx', 0o600));
      writeAll(fd, plain, null);
      fs.fchmodSync(fd, f.mode);
      fs.futimesSync(fd, f.mtimeMs / 1000, f.mtimeMs / 1000);
      fs.closeSync(fd);
      return { ok: 1 };
    } catch (err) {
      if (fd >= 0) {
        try { fs.closeSync(fd); } catch {}
        try { fs.rmSync(f.dest, { force: true }); } catch {} // created here (O_EXCL): only a partial copy goes
      }
      return fail('fs', err);
    }
  }
  function finish(f) {
    let fd = -1;
    forget(f.file);
    try {
      fd = fs.openSync(f.tmp, 'r');
      const size = fs.fstatSync(fd).size;
      if (size !== f.size) return { error: 'content' };
      if (f.sha256) {
        const h = crypto.createHash('sha256');
        readBuf = readBuf || Buffer.allocUnsafeSlow(1024 * 1024);
        for (let pos = 0; pos < size; ) {
          const n = fs.readSync(fd, readBuf, 0, Math.min(readBuf.length, size - pos), pos);
          if (n === 0) return { error: 'content' };
          h.update(n === readBuf.length ? readBuf : readBuf.subarray(0, n));
          pos += n;
        }
        if (h.digest('hex') !== f.sha256) return { error: 'content' };
      }
      fs.fchmodSync(fd, f.mode);
      fs.futimesSync(fd, f.mtimeMs / 1000, f.mtimeMs / 1000);
      fs.closeSync(fd);
      fd = -1;
      if (f.existing) return { ok: 1 }; // the caller keeps what is there aside, then renames
      fs.renameSync(f.tmp, f.dest);
      return { ok: 1, renamed: 1 };
    } catch (err) {
      return fail('fs', err);
    } finally {
      if (fd >= 0) try { fs.closeSync(fd); } catch {}
    }
  }

  /** items: [{ id, codec, rawLength, length, mode, writes?, finish?, failed? }]; data: the stored bytes, back to back. */
  function run(items, data, forgotten) {
    for (const file of forgotten || []) forget(file);
    const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let plainTotal = 0;
    for (const it of items) if (it.mode === 'plain') plainTotal += it.rawLength;
    const out = plainTotal > 0 ? Buffer.allocUnsafeSlow(plainTotal) : null;
    const outs = [];
    let pos = 0;
    let inPos = 0;
    for (const it of items) {
      if (it.mode === 'finish') {
        outs.push(finish(it.finish));
        continue;
      }
      const stored = input.subarray(inPos, inPos + it.length);
      inPos += it.length;
      const v = verify(it, stored);
      if (v.error) {
        outs.push(v);
        continue;
      }
      try {
        use(it, v.plain, outs, out, pos);
      } finally {
        if (v.owned) release(v.plain);
      }
      if (it.mode === 'plain') pos += it.rawLength;
    }
    return { outs, out };
  }
  /** Frees a decoded blob now rather than at the next GC (the worker's heap sees little else: GCs are rare). */
  function release(plain) {
    if (typeof plain.buffer.transfer !== 'function') return;
    try {
      plain.buffer.transfer(0);
    } catch {} // not detachable: left to the GC
  }
  function use(it, plain, outs, out, pos) {
    if (it.mode === 'plain') {
      plain.copy(out, pos);
      outs.push({ at: pos });
    } else if (it.mode === 'write') {
      const results = [];
      for (const w of it.writes) {
        if (w.direct) results.push(writeDirect(w.direct, plain));
        else {
          try {
            writeAll(fdOf(w.file, w.tmp), plain, w.position);
            results.push({ ok: 1 });
          } catch (err) {
            forget(w.file);
            results.push(fail('fs', err));
          }
        }
      }
      outs.push({ ok: 1, writes: results });
    } else outs.push({ ok: 1 });
  }
  function close() {
    for (const file of [...fds.keys()]) forget(file);
  }
  return { run, close, stats: () => ({ zstdFramesReused: zdFrames }) };
}
`;

export interface Processor {
  run(items: unknown[], data: Uint8Array, forgotten?: number[]): { outs: unknown[]; out: Buffer | null };
  close(): void;
  /** Blobs decoded by the long-lived zstd context (tests). */
  stats(): { zstdFramesReused: number };
}
