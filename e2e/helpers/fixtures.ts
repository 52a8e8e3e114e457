/**
 * Test data for e2e: a small shop folder (accented names, a sub-folder, a binary file), a "USB drive" folder under the
 * app's drive root, byte-for-byte comparison of two folders, and temp-dir cleanup.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const DRIVE_LABEL = 'Sauvegarde Boutique';
export const FILES_DATE = new Date('2026-03-09T16:20:00Z');
export const PASSPHRASE = 'cheval agrafe batterie correcte boutique';

/** A shop folder with a few files, accented names included. Returns its path. */
export function makeShopFolder(parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, 'rempart-e2e-boutique-'));
  const files: Record<string, string | Buffer> = {
    'facture-été-2026.txt': 'Facture n° 42 — Café des Artistes\nTotal : 128,50 €\n',
    'Réglements/relevé n°3.csv': 'date;libellé;montant\n2026-03-01;Crème brûlée;4,50\n2026-03-02;Œufs;2,10\n',
    'Réglements/caisse.json': JSON.stringify({ jour: '2026-03-02', espèces: 310.2, carte: 912.75 }),
    'Photos/vitrine.bin': randomBytes(256 * 1024),
    'notes.md': '# Notes\n\nCommander du papier pour la caisse.\n',
  };
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
    // Dated the day before the specs' app clock starts (10 March 2026), so the UI shows plausible dates.
    utimesSync(p, FILES_DATE, FILES_DATE);
  }
  return dir;
}

/** Plugs a "USB drive": a sub-folder of the app's drive root. */
export function plugDrive(driveRoot: string, name = 'CLE-BOUTIQUE'): string {
  const p = join(driveRoot, name);
  mkdirSync(p, { recursive: true });
  return p;
}

/** Every regular file under dir, as relative path → content. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (s.isFile()) out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Finds the folder under `root` whose tree ends with the given relative file (restores may keep the full original path). */
export function findFile(root: string, name: string): string | null {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, entry.name);
    if (entry.isDirectory()) {
      const hit = findFile(p, name);
      if (hit) return hit;
    } else if (entry.name === name) return p;
  }
  return null;
}

export function removeAll(...paths: (string | undefined)[]): void {
  for (const p of paths) if (p) rmSync(p, { recursive: true, force: true });
}
