/**
 * Frees a buffer's memory now rather than at the next garbage collection, when the buffer is the whole of its memory
 * (pooled slices and views of a larger buffer are left alone). Only for a buffer nobody else can still read: every view
 * of its memory becomes empty. Why: a buffer's bytes live outside the V8 heap, and V8 collects them only after some
 * 64 MB of such allocations; a thread that makes one short-lived buffer per 64 KiB (a cipher's output) would otherwise
 * keep up to that much garbage resident. Where ArrayBuffer.prototype.transfer is missing (Node 20) this does nothing.
 */
export function freeNow(buf: Uint8Array): void {
  const ab = buf.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (buf.byteOffset !== 0 || ab.byteLength !== buf.byteLength || ab.byteLength <= 8192 || typeof ab.transfer !== 'function') return;
  try {
    ab.transfer(0);
  } catch {
    // not detachable (a shared or wasm memory): left to the collector
  }
}
