/**
 * The zip container of a pack: stored (method 0) entries made with archiver, collected in memory.
 * Used by the seal thread (seal-thread.ts) and, where no worker can run, on the calling thread.
 */
import type { Archiver, ArchiverOptions } from 'archiver';
import { createRequire } from 'node:module';
import { useNativeCrc32 } from './native-crc32.js';

// archiver 7 is CommonJS with a factory as its export; @types/archiver 8 describes v8's classes, hence the typed require.
// Loaded on the first pack (its module tree costs ~0.2 s of start-up, which a no-change backup never needs).
type ArchiverFactory = (format: 'zip', options?: ArchiverOptions) => Archiver;
let archiverFactory: ArchiverFactory | null = null;
function archiver(format: 'zip', options?: ArchiverOptions): Archiver {
  archiverFactory ??= createRequire(import.meta.url)('archiver') as ArchiverFactory;
  return archiverFactory(format, options);
}

/** A zip archive whose entries are stored (method 0), as in every pack. */
export function packArchive(): Archiver {
  useNativeCrc32();
  return archiver('zip', { store: true });
}

/** Every entry carries the same date: a pack's bytes depend only on its blobs. */
const ENTRY_DATE = new Date(Date.UTC(2000, 0, 1));

export function appendStored(archive: Archiver, name: string, data: Buffer): void {
  archive.append(data, { name, date: ENTRY_DATE, store: true });
}

/**
 * A stored zip of the given entries, collected into one Buffer (a view of `into` when given and big enough). `sizeHint`
 * (the expected size) lets the output be written into one allocation instead of a list of chunks joined at the end.
 */
export async function zipInMemory(entries: { name: string; data: Buffer }[], sizeHint = 0, into?: Buffer): Promise<Buffer> {
  const archive = packArchive();
  // `into`: a buffer to write the zip into when it is big enough (the seal thread reuses one from pack to pack)
  let out = into && into.length >= sizeHint + 1024 ? into : Buffer.allocUnsafe(Math.max(sizeHint + 1024, 4096));
  let used = 0;
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (c: Buffer) => {
      if (used + c.length > out.length) {
        const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, used + c.length));
        out.copy(bigger, 0, 0, used);
        out = bigger;
      }
      used += c.copy(out, used);
    });
    archive.on('end', () => resolve());
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  for (const e of entries) appendStored(archive, e.name, e.data);
  await archive.finalize();
  await done;
  return out.subarray(0, used);
}

/** Zip bytes around one entry: local header (30) + name, data descriptor (≤ 24), central header (46) + name. */
export function entryOverhead(name: string): number {
  return 100 + 2 * name.length;
}
