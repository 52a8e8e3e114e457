/**
 * Follows a zip as it streams out of archiver and reports where each entry's data starts: the streaming counterpart of
 * zip-layout.ts, for packs written to their file as they are built (pack-file.ts), where the whole zip is never in
 * memory. It knows the entries to expect (name and size, in order) and checks every header against them: each local
 * header, then each central directory header (its local header offset, name, size and method), then the end record.
 * Only what pack files use: stored (method 0) entries, no ZIP64 (APPNOTE.TXT 4.3.7, 4.3.9, 4.3.12, 4.3.16).
 */
import { BugError } from '../base/errors.js';

const LFH_SIG = 0x04034b50;
const CDH_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const DD_SIG = 0x08074b50;

export interface ExpectedEntry {
  name: string;
  /** Bytes of the entry's data (stored: as given). */
  length: number;
}

/** What the next header bytes are, and how many of them to collect. */
type Part =
  | { kind: 'signature' }
  | { kind: 'local' }
  | { kind: 'local-name'; nameLength: number; extraLength: number; flags: number }
  | { kind: 'descriptor' }
  | { kind: 'central' }
  | { kind: 'central-name'; nameLength: number; skip: number; size: number; method: number; localOffset: number }
  | { kind: 'end' }
  | { kind: 'done' };

function partLength(p: Part): number {
  switch (p.kind) {
    case 'signature':
    case 'descriptor':
      return 4;
    case 'local':
      return 26;
    case 'local-name':
      return p.nameLength + p.extraLength;
    case 'central':
      return 42;
    case 'central-name':
      return p.nameLength;
    case 'end':
      return 18;
    case 'done':
      return 0;
  }
}

function bad(message: string): BugError {
  return new BugError(`streamed zip: ${message}`);
}

export class ZipOffsetTracker {
  private readonly expected: ExpectedEntry[] = [];
  /** Offset of each entry's data, then of its local header, as their headers pass. */
  private readonly dataOffsets: number[] = [];
  private readonly localOffsets: number[] = [];
  private centralSeen = 0;
  private part: Part = { kind: 'signature' };
  /** Zip bytes seen so far. */
  private pos = 0;
  /** Where the current header began. */
  private headerStart = 0;
  /** Header bytes collected across chunks (a header usually lies within one chunk and is read where it is). */
  private held = Buffer.allocUnsafe(256);
  private heldLength = 0;
  /** Bytes to pass without looking (entry data, trailing fields). */
  private skipping = 0;

  /** Zip bytes seen so far. */
  get position(): number {
    return this.pos;
  }

  /** True once the data of entry `index` (0-based, in the order expected) has wholly passed. */
  passed(index: number): boolean {
    return index < this.dataOffsets.length && this.dataOffsets[index] + this.expected[index].length <= this.pos;
  }

  /** Adds entries to expect, in the order they are appended to the archive. */
  expect(entries: readonly ExpectedEntry[]): void {
    if (this.centralSeen > 0 || this.part.kind === 'central' || this.part.kind === 'end') throw bad('entries added after the central directory');
    for (const e of entries) this.expected.push(e);
  }

  /** Feeds the next bytes of the zip, exactly as they are written out. */
  push(chunk: Buffer): void {
    let at = 0;
    for (;;) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, chunk.length - at);
        this.skipping -= n;
        at += n;
        this.pos += n;
        if (this.skipping > 0) return;
      }
      const need = partLength(this.part);
      if (this.part.kind === 'done') {
        if (at < chunk.length) throw bad('bytes after the end record');
        return;
      }
      if (this.heldLength === 0 && chunk.length - at >= need) {
        // the whole header is in this chunk: read in place (no view or copy per header: 5 headers per blob)
        this.pos += need;
        at += need;
        this.parse(chunk, at - need);
        continue;
      }
      const take = Math.min(need - this.heldLength, chunk.length - at);
      if (this.held.length < need) {
        const bigger = Buffer.allocUnsafe(Math.max(need, this.held.length * 2));
        this.held.copy(bigger, 0, 0, this.heldLength);
        this.held = bigger;
      }
      chunk.copy(this.held, this.heldLength, at, at + take);
      this.heldLength += take;
      at += take;
      this.pos += take;
      if (this.heldLength < need) return;
      this.heldLength = 0;
      this.parse(this.held, 0);
    }
  }

  /** After the archive's last byte: the data offset of each entry, once all were seen and matched. */
  finish(): number[] {
    if (this.part.kind !== 'done' || this.skipping > 0) throw bad(`ended in the ${this.part.kind} part`);
    if (this.centralSeen !== this.expected.length) throw bad(`central directory lists ${this.centralSeen} of ${this.expected.length} entries`);
    return this.dataOffsets;
  }

  /** Parses the current part, whose bytes are h[o, o + partLength). */
  private parse(h: Buffer, o: number): void {
    const p = this.part;
    switch (p.kind) {
      case 'signature': {
        this.headerStart = this.pos - 4;
        const sig = h.readUInt32LE(o);
        const inEntries = this.centralSeen === 0;
        if (sig === LFH_SIG && inEntries) this.part = { kind: 'local' };
        else if (sig === CDH_SIG) {
          if (inEntries && this.localOffsets.length !== this.expected.length) {
            throw bad(`central directory after ${this.localOffsets.length} of ${this.expected.length} entries`);
          }
          this.part = { kind: 'central' };
        } else if (sig === EOCD_SIG && this.centralSeen > 0) this.part = { kind: 'end' };
        else throw bad(`unexpected signature ${sig.toString(16)} at ${this.headerStart}`);
        return;
      }
      case 'local': {
        const e = this.expected[this.localOffsets.length];
        if (!e) throw bad(`entry ${this.localOffsets.length} was not expected`);
        const flags = h.readUInt16LE(o + 2);
        const method = h.readUInt16LE(o + 4);
        if (method !== 0) throw bad(`entry ${e.name} is not stored (method ${method})`);
        if (flags & 1) throw bad(`entry ${e.name} is encrypted by zip`);
        const declared = h.readUInt32LE(o + 14);
        if (!(flags & 8) && declared !== e.length) throw bad(`entry ${e.name} declares ${declared} bytes, ${e.length} were added`);
        this.localOffsets.push(this.headerStart);
        this.part = { kind: 'local-name', nameLength: h.readUInt16LE(o + 22), extraLength: h.readUInt16LE(o + 24), flags };
        return;
      }
      case 'local-name': {
        const index = this.dataOffsets.length;
        const e = this.expected[index];
        const name = h.toString('utf8', o, o + p.nameLength);
        if (name !== e.name) throw bad(`entry ${index} is ${JSON.stringify(name)}, expected ${e.name}`);
        this.dataOffsets.push(this.pos);
        this.skipping = e.length;
        this.part = p.flags & 8 ? { kind: 'descriptor' } : { kind: 'signature' };
        return;
      }
      case 'descriptor':
        // optional signature, then crc-32 and the two sizes (4 bytes each without ZIP64)
        this.skipping = h.readUInt32LE(o) === DD_SIG ? 12 : 8;
        this.part = { kind: 'signature' };
        return;
      case 'central':
        this.part = {
          kind: 'central-name',
          nameLength: h.readUInt16LE(o + 24),
          skip: h.readUInt16LE(o + 26) + h.readUInt16LE(o + 28),
          method: h.readUInt16LE(o + 6),
          size: h.readUInt32LE(o + 16),
          localOffset: h.readUInt32LE(o + 38),
        };
        return;
      case 'central-name': {
        const index = this.centralSeen;
        const e = this.expected[index];
        const name = h.toString('utf8', o, o + p.nameLength);
        if (!e || name !== e.name || p.size !== e.length || p.method !== 0 || p.localOffset !== this.localOffsets[index]) {
          throw bad(`central directory entry ${index} (${name}) does not match its local header`);
        }
        this.centralSeen++;
        this.skipping = p.skip;
        this.part = { kind: 'signature' };
        return;
      }
      case 'end': {
        const count = h.readUInt16LE(o + 6);
        if (count !== this.expected.length) throw bad(`end record counts ${count} entries, ${this.expected.length} were added`);
        if (h.readUInt16LE(o + 16) !== 0) throw bad('archive comment');
        this.part = { kind: 'done' };
        return;
      }
      case 'done':
        throw bad('bytes after the end record');
    }
  }
}
