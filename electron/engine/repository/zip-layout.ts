/**
 * Reads where each entry's data starts inside a zip held in memory (archiver does not report offsets).
 * Only what pack files use: stored (method 0) entries, no ZIP64 (packs stay under 1 GiB and 65,535 entries).
 * Follows APPNOTE.TXT: end of central directory → central directory headers → local file headers.
 */
import { RempartError } from '../base/errors.js';

export interface ZipEntryLayout {
  name: string;
  /** Offset of the entry's data (after its local header). */
  dataOffset: number;
  /** Stored (compressed) size, equal to the data size for method 0. */
  size: number;
  method: number;
  crc32: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const EOCD_MIN = 22;

function bad(message: string): RempartError {
  return new RempartError('DATA_CORRUPT', `zip: ${message}`);
}

function findEocd(zip: Buffer): number {
  const stop = Math.max(0, zip.length - EOCD_MIN - 0xffff);
  for (let i = zip.length - EOCD_MIN; i >= stop; i--) {
    if (zip.readUInt32LE(i) === EOCD_SIG) return i;
  }
  throw bad('end of central directory not found');
}

/** Lists the entries of a zip with the offset of each entry's data. */
export function readZipLayout(zip: Buffer): ZipEntryLayout[] {
  if (zip.length < EOCD_MIN) throw bad('too short');
  const eocd = findEocd(zip);
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw bad('ZIP64 archives are not used by packs');
  if (cdOffset + cdSize > eocd) throw bad('central directory outside the file');
  const out: ZipEntryLayout[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CDH_SIG) throw bad(`central directory entry ${i} is malformed`);
    const method = zip.readUInt16LE(p + 10);
    const crc32 = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const lho = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (lho + 30 > zip.length || zip.readUInt32LE(lho) !== LFH_SIG) throw bad(`local header of ${name} is malformed`);
    const dataOffset = lho + 30 + zip.readUInt16LE(lho + 26) + zip.readUInt16LE(lho + 28);
    if (dataOffset + compressed > zip.length) throw bad(`data of ${name} runs past the end`);
    out.push({ name, dataOffset, size: compressed, method, crc32 });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
