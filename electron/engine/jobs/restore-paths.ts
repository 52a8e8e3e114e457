import { access } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve, sep } from 'node:path';
import { RempartError } from '../base/errors.js';

/**
 * Path rules of a restore: where each snapshot entry lands, refusing anything that would leave the target,
 * and the name an existing different file is kept aside under.
 */

/** Checks a snapshot path ('/'-separated, label first) and returns its segments; throws PATH_ESCAPE if unsafe. */
export function safeSegments(snapshotPath: string): string[] {
  const bad = (why: string) =>
    new RempartError('PATH_ESCAPE', `refusing snapshot entry ${JSON.stringify(snapshotPath)}: ${why}`, {
      details: { path: snapshotPath },
    });
  if (snapshotPath.length === 0) throw bad('empty path');
  if (snapshotPath.includes('\0')) throw bad('contains a NUL byte');
  if (snapshotPath.startsWith('/') || snapshotPath.startsWith('\\') || isAbsolute(snapshotPath) || /^[A-Za-z]:/.test(snapshotPath))
    throw bad('absolute path');
  const segs = snapshotPath.split('/');
  for (const s of segs) {
    if (s === '' || s === '.' || s === '..') throw bad(`invalid segment ${JSON.stringify(s)}`);
    if (process.platform === 'win32' && /[\\:]/.test(s)) throw bad('segment not allowed on Windows');
  }
  return segs;
}

/** Destination of a snapshot path under `target`, verified to stay inside it. */
export function destinationIn(target: string, snapshotPath: string): string {
  const segs = safeSegments(snapshotPath);
  const root = resolve(target);
  // Segments are checked (no '', '.', '..', no separator): joined as they are, the path is already normal.
  const rest = segs.join(sep);
  const dest = root.endsWith(sep) ? root + rest : root + sep + rest;
  if (dest !== root && !dest.startsWith(root.endsWith(sep) ? root : root + sep)) {
    throw new RempartError('PATH_ESCAPE', `entry ${JSON.stringify(snapshotPath)} resolves outside ${root}`, {
      details: { path: snapshotPath },
    });
  }
  return dest;
}

/**
 * Destination when restoring to the original place: the label (first segment) maps to the source's original path.
 * `sources` are the snapshot's recorded source paths, in label order (labelSources).
 */
export function destinationOriginal(labelToRoot: ReadonlyMap<string, string>, snapshotPath: string): string {
  const segs = safeSegments(snapshotPath);
  const root = labelToRoot.get(segs[0]);
  if (!root) {
    throw new RempartError('PATH_ESCAPE', `entry ${JSON.stringify(snapshotPath)} belongs to no source of the snapshot`, {
      details: { path: snapshotPath },
    });
  }
  if (segs.length === 1) return resolve(root);
  return destinationIn(root, segs.slice(1).join('/'));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "ventes.xlsx" → "ventes (avant restauration 2026-11-24 19h30).xlsx" (local time). */
export function keptAsideName(fileName: string, when: Date, n = 1): string {
  const ext = extname(fileName);
  const stem = ext && ext !== fileName ? fileName.slice(0, -ext.length) : fileName;
  const stamp = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}h${pad(when.getMinutes())}`;
  const suffix = n > 1 ? ` ${n}` : '';
  const tag = ` (avant restauration ${stamp}${suffix})`;
  // keep the name within 255 bytes: shorten the stem if needed
  let s = stem;
  while (Buffer.byteLength(s + tag + (ext === fileName ? '' : ext)) > 255 && s.length > 1) s = s.slice(0, -1);
  return ext === fileName ? s + tag : s + tag + ext;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** A free keep-aside path beside `dest` ("name (avant restauration …).ext", then "… 2)", "… 3)"…). */
export async function freeKeptAsidePath(dir: string, fileName: string, when: Date): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = join(dir, keptAsideName(fileName, when, n));
    if (!(await exists(candidate))) return candidate;
  }
}
