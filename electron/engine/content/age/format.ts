/**
 * age v1 header format (https://age-encryption.org/v1): parsing and serialization.
 *
 *   age-encryption.org/v1\n
 *   -> TYPE ARG...\n            one line per stanza, then its body in canonical unpadded base64,
 *   BODY (64 columns)...\n      wrapped at 64 columns, ending with a line shorter than 64 (maybe empty)
 *   --- MAC\n                   HMAC-SHA-256 over everything up to and including "---"
 */
import { RempartError } from '../../base/errors.js';

export const VERSION_LINE = 'age-encryption.org/v1';
const VERSION_BYTES = Buffer.from(`${VERSION_LINE}\n`, 'latin1');
const B64_LINE = 64;
/** Headers larger than this are refused (ours are < 1 KiB; the CLI's are a few hundred bytes per recipient). */
export const MAX_HEADER_BYTES = 1024 * 1024;

export interface Stanza {
  /** First argument of the stanza line: "X25519", "scrypt", … */
  type: string;
  /** Remaining arguments. */
  args: string[];
  body: Buffer;
}

export interface ParsedHeader {
  /** Bytes from the start of the file to the end of the MAC line (the payload nonce starts here). */
  headerLength: number;
  stanzas: Stanza[];
  /** The header bytes covered by the MAC (up to and including "---"). */
  macInput: Buffer;
  mac: Buffer;
}

export function corrupt(message: string, cause?: unknown): RempartError {
  return new RempartError('DATA_CORRUPT', `age: ${message}`, { cause });
}

const B64_CHARS = /^[A-Za-z0-9+/]*$/;

/** Strict canonical unpadded base64 (what age requires). Returns null when invalid. */
export function decodeB64(s: string): Buffer | null {
  if (!B64_CHARS.test(s) || s.length % 4 === 1) return null;
  const buf = Buffer.from(s, 'base64');
  if (encodeB64(buf) !== s) return null; // non-canonical trailing bits
  return buf;
}

export function encodeB64(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('base64').replace(/=+$/, '');
}

function isArg(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Parses an age header from the start of `buf`. Returns null when `buf` ends before the header does
 * (read more bytes and call again); throws DATA_CORRUPT when the bytes are not a valid age v1 header.
 */
export function tryParseHeader(buf: Buffer): ParsedHeader | null {
  const probe = Math.min(buf.length, VERSION_BYTES.length);
  if (!buf.subarray(0, probe).equals(VERSION_BYTES.subarray(0, probe))) throw corrupt('not an age v1 file (bad version line)');
  let pos = 0;
  const nextLine = (): string | null => {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) {
      if (buf.length > MAX_HEADER_BYTES) throw corrupt('header too large');
      return null;
    }
    const line = buf.toString('latin1', pos, nl);
    pos = nl + 1;
    return line;
  };
  if (nextLine() === null) return null;
  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = pos;
    const line = nextLine();
    if (line === null) return null;
    if (line.startsWith('--- ')) {
      const mac = decodeB64(line.slice(4));
      if (!mac || mac.length !== 32) throw corrupt('malformed header MAC');
      return { headerLength: pos, stanzas, macInput: buf.subarray(0, lineStart + 3), mac };
    }
    if (!line.startsWith('-> ')) throw corrupt('malformed header line');
    const args = line.slice(3).split(' ');
    if (!args.every(isArg)) throw corrupt('malformed stanza arguments');
    let b64 = '';
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine === null) return null;
      if (bodyLine.length > B64_LINE || !B64_CHARS.test(bodyLine)) throw corrupt('malformed stanza body');
      b64 += bodyLine;
      if (bodyLine.length < B64_LINE) break;
    }
    const body = decodeB64(b64);
    if (!body) throw corrupt('malformed stanza body encoding');
    stanzas.push({ type: args[0], args: args.slice(1), body });
  }
}

/** Like tryParseHeader, but a header that ends early is DATA_CORRUPT (truncated file). */
export function parseHeader(buf: Buffer): ParsedHeader {
  const h = tryParseHeader(buf);
  if (!h) throw corrupt('truncated header');
  return h;
}

/** Serializes the header up to and including "---" (the MAC input). */
export function headerMacInput(stanzas: Stanza[]): Buffer {
  let s = `${VERSION_LINE}\n`;
  for (const st of stanzas) {
    s += `-> ${[st.type, ...st.args].join(' ')}\n`;
    const b64 = encodeB64(st.body);
    for (let i = 0; i < b64.length; i += B64_LINE) s += `${b64.slice(i, i + B64_LINE)}\n`;
    if (b64.length % B64_LINE === 0) s += '\n';
  }
  s += '---';
  return Buffer.from(s, 'latin1');
}

export function finishHeader(macInput: Buffer, mac: Buffer): Buffer {
  return Buffer.concat([macInput, Buffer.from(` ${encodeB64(mac)}\n`, 'latin1')]);
}

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';

export function isArmored(buf: Buffer): boolean {
  return buf.subarray(0, ARMOR_BEGIN.length).toString('latin1') === ARMOR_BEGIN;
}

/** Decodes ASCII armor (PEM-style, padded base64 at 64 columns); lenient about surrounding whitespace. */
export function dearmor(buf: Buffer): Buffer {
  const text = buf.toString('latin1').trim().replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  if (lines[0] !== ARMOR_BEGIN || lines[lines.length - 1] !== ARMOR_END) throw corrupt('malformed armor');
  const body = lines.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const l = body[i];
    if (!/^[A-Za-z0-9+/=]*$/.test(l) || l.length > 64 || (i < body.length - 1 && l.length !== 64)) throw corrupt('malformed armor');
  }
  const joined = body.join('');
  if (joined.length % 4 !== 0) throw corrupt('malformed armor padding');
  return Buffer.from(joined, 'base64');
}
