/**
 * Passphrase strength (0–4) and the one problem to show, for the setup wizard and the passphrase change.
 * A rough, offline estimate: long phrases of several words or varied characters pass; short, common or repetitive ones do not.
 */
export type Strength = 0 | 1 | 2 | 3 | 4;
export type PassphraseProblem = 'weak' | 'mismatch' | null;

export const MIN_STRENGTH: Strength = 2;

const COMMON = ['motdepasse', 'password', 'azerty', 'qwerty', 'soleil', 'bonjour', 'rempart', 'boutique', 'admin', 'secret', 'abc', 'iloveyou'];

function charPool(p: string): number {
  let pool = 0;
  if (/[a-z]/.test(p)) pool += 26;
  if (/[A-Z]/.test(p)) pool += 26;
  if (/[0-9]/.test(p)) pool += 10;
  if (/[^a-zA-Z0-9\s]/.test(p)) pool += 33;
  return Math.max(pool, 1);
}

function isSequence(p: string): boolean {
  if (p.length < 4) return false;
  const codes = [...p].map((c) => c.charCodeAt(0));
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]));
  return steps.size === 1 && [...steps][0] !== undefined && Math.abs([...steps][0]) <= 1;
}

export function passphraseStrength(passphrase: string): Strength {
  const p = passphrase.trim();
  if (p.length < 8) return 0;
  const bare = p.toLowerCase().replace(/[^a-zà-ÿ]/g, '');
  if (COMMON.some((w) => bare === w || bare === `${w}${w}`) || isSequence(p)) return 0;
  const unique = new Set(p).size;
  if (unique <= 3) return 0;
  const letters = p.replace(/\s+/g, '');
  const charBits = letters.length * Math.log2(charPool(letters)) * Math.min(1, unique / Math.min(p.length, 10));
  // A phrase of words is only as strong as its number of distinct words (about 11 bits each from a large word list).
  const words = p.split(/\s+/).filter((w) => w.length >= 3);
  const wordBits = new Set(words.map((w) => w.toLowerCase())).size * 11;
  const bits = /\s/.test(p) ? Math.min(charBits, wordBits + 6) : charBits;
  if (bits < 28) return 0;
  if (bits < 40) return 1;
  if (bits < 56) return 2;
  if (bits < 72) return 3;
  return 4;
}

/** The problem to show before accepting a new passphrase typed twice (weakness first, then the mismatch). */
export function passphraseProblem(first: string, second: string): PassphraseProblem {
  if (passphraseStrength(first) < MIN_STRENGTH) return 'weak';
  if (first !== second) return 'mismatch';
  return null;
}
