/**
 * Sealing a pack: the blobs (laid side by side in one staging buffer) become a stored zip made with archiver, the data
 * offset of each entry is read back from the zip's own headers, and the zip is age-encrypted to the repository recipient
 * and hashed (the pack id). Pure function of its input: runs on the seal thread (seal-thread.ts) or, as a fallback, here.
 */
import { encrypt } from '../content/age/index.js';
import { sha256Hex } from '../content/hashing.js';
import { BugError } from '../base/errors.js';
import { zipInMemory, entryOverhead } from './pack-zip.js';
import { readZipLayout } from './zip-layout.js';

export interface SealEntry {
  /** Zip entry name ("<blobId>.<ext>"). */
  name: string;
  /** Where the entry's bytes sit in the staging buffer. */
  offset: number;
  length: number;
}

export interface SealInput {
  staging: Buffer;
  entries: SealEntry[];
  recipient: string;
  /** A buffer to write the pack file into when it is large enough (the file is then a view of it). */
  output?: Buffer;
}

export interface SealOutput {
  /** The encrypted pack file. */
  data: Buffer;
  sha256: string;
  /** Offset of each entry's data inside the zip, in the order of `entries`. */
  dataOffsets: number[];
}

/** Room for the age file of a zip of `zipLength` bytes (16 bytes per 64 KiB chunk and a header), rounded up to 1 MiB, plus 1 MiB. */
export function outputCapacity(zipLength: number): number {
  const MiB = 1024 * 1024;
  return (Math.ceil((zipLength + Math.ceil(zipLength / 65536) * 16 + 64 * 1024) / MiB) + 1) * MiB;
}

/** Zip buffers of finished packs, reused (two packs may be sealed at once: one per repository of a run). */
const spareZips: Buffer[] = [];

/**
 * The stored zip of the staged entries (written into `into` when it is big enough) and the offset of each entry's data,
 * read back from the zip's own headers and checked against what was added.
 */
export async function zipStaged(staging: Buffer, entries: SealEntry[], into?: Buffer): Promise<{ zip: Buffer; dataOffsets: number[] }> {
  if (entries.length === 0) throw new BugError('zip of an empty pack');
  let sizeHint = 22;
  const views = entries.map((e) => {
    sizeHint += e.length + entryOverhead(e.name);
    return { name: e.name, data: staging.subarray(e.offset, e.offset + e.length) };
  });
  const zip = await zipInMemory(views, sizeHint, into);
  const layout = readZipLayout(zip);
  if (layout.length !== entries.length) throw new BugError(`zip holds ${layout.length} entries, ${entries.length} were added`);
  const dataOffsets = entries.map((e, i) => {
    const l = layout[i];
    if (l.name !== e.name || l.size !== e.length || l.method !== 0) throw new BugError(`zip layout does not match entry ${e.name}`);
    return l.dataOffset;
  });
  return { zip, dataOffsets };
}

export async function sealPackData({ staging, entries, recipient, output }: SealInput): Promise<SealOutput> {
  const scratch = spareZips.pop();
  try {
    const { zip, dataOffsets } = await zipStaged(staging, entries, scratch);
    // A pack file goes into the given buffer, or a new one with room for the next packs (which may be a little larger)
    const room = zip.length < 1024 * 1024 || (output && output.length >= outputCapacity(zip.length)) ? output : Buffer.allocUnsafeSlow(outputCapacity(zip.length));
    const data = await encrypt(zip, [{ type: 'x25519', recipient }], room);
    // the zip's buffer serves the next pack (a fresh 16 MiB per pack costs page faults and forced collections)
    if (zip.buffer.byteLength >= 1024 * 1024 && spareZips.length < 2) spareZips.push(Buffer.from(zip.buffer, 0, zip.buffer.byteLength));
    return { data, sha256: sha256Hex(data), dataOffsets };
  } catch (err) {
    if (scratch) spareZips.push(scratch);
    throw err;
  }
}
