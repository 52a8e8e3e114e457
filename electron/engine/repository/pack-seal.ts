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

/**
 * Room for the age file of a zip of about `zipLength` bytes (16 bytes per 64 KiB chunk and a header, with margin): for a
 * pack of 1 MiB or more, rounded up to 1 MiB plus 1 MiB, so that the buffer serves the next packs too.
 */
export function outputCapacity(zipLength: number): number {
  const MiB = 1024 * 1024;
  const exact = zipLength + (Math.ceil(zipLength / 65536) + 1) * 16 + 64 * 1024;
  return zipLength < MiB ? exact : (Math.ceil(exact / MiB) + 1) * MiB;
}

/**
 * The stored zip of the staged entries (written into `into` when it is big enough) and the offset of each entry's data,
 * read back from the zip's own headers and checked against what was added.
 */
export async function zipStaged(staging: Buffer, entries: SealEntry[], into?: Buffer): Promise<{ zip: Buffer; dataOffsets: number[] }> {
  if (entries.length === 0) throw new BugError('zip of an empty pack');
  const views = entries.map((e) => ({ name: e.name, data: staging.subarray(e.offset, e.offset + e.length) }));
  const zip = await zipInMemory(views, zipSizeHint(entries), into);
  const layout = readZipLayout(zip);
  if (layout.length !== entries.length) throw new BugError(`zip holds ${layout.length} entries, ${entries.length} were added`);
  const dataOffsets = entries.map((e, i) => {
    const l = layout[i];
    if (l.name !== e.name || l.size !== e.length || l.method !== 0) throw new BugError(`zip layout does not match entry ${e.name}`);
    return l.dataOffset;
  });
  return { zip, dataOffsets };
}

/** The size of the stored zip of these entries, about (a little over: data descriptors may be shorter). */
function zipSizeHint(entries: SealEntry[]): number {
  let size = 22;
  for (const e of entries) size += e.length + entryOverhead(e.name);
  return size;
}

/**
 * The zip is written at the start of the pack file's buffer (the given one, or a new one with room for the next packs,
 * which may be a little larger) and encrypted there in place: one buffer of the pack's size, not two.
 */
export async function sealPackData({ staging, entries, recipient, output }: SealInput): Promise<SealOutput> {
  const capacity = outputCapacity(zipSizeHint(entries));
  const room = output && output.length >= capacity ? output : Buffer.allocUnsafeSlow(capacity);
  const { zip, dataOffsets } = await zipStaged(staging, entries, room);
  const data = await encrypt(zip, [{ type: 'x25519', recipient }], room);
  return { data, sha256: sha256Hex(data), dataOffsets };
}
