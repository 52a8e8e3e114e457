/**
 * Deterministic generator of a shop-like dataset and of one day of business on it.
 * Scale 1 ≈ 1.2 GB: a 400 MB accounting database made of 4 KiB pages, ~15,000 invoices, photos that do not compress,
 * office documents (zip containers) and accented names. Same seed → same bytes, so runs compare like with like.
 */
import { mkdirSync, rmSync, writeFileSync, readdirSync, unlinkSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';

export const PAGE = 4096;

/** xorshift128+ PRNG: fast, seeded, deterministic. */
export class Rng {
  private s0: bigint;
  private s1: bigint;
  constructor(seed: number) {
    this.s0 = BigInt(seed) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn || 1n;
    this.s1 = (BigInt(seed) ^ 0xdeadbeefcafebaben) & 0xffffffffffffffffn || 2n;
  }
  next(): number {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= (x << 23n) & 0xffffffffffffffffn;
    this.s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return Number((this.s1 + y) & 0xffffffffn) / 0x100000000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
}

const WORDS = ['baguette', 'croissant', 'pain complet', 'éclair', 'tarte aux pommes', 'café', 'chocolat chaud', 'brioche', 'pâté', 'fougasse',
  'client fidèle', 'remise', 'TVA 5,5 %', 'TVA 20 %', 'espèces', 'carte bancaire', 'chèque', 'livraison', 'Société Générale', 'Crédit Agricole'];
const NAMES = ['Élodie Martin', 'François Dupré', 'Zoé Lefèvre', 'Jérôme Bénard', 'Anaïs Côté', 'Noël Garçon', 'Maëlle Søndergård', 'José Núñez'];

function textLine(rng: Rng): string {
  return `${rng.int(99999).toString().padStart(5, '0')};${rng.pick(NAMES)};${rng.pick(WORDS)};${(rng.int(100000) / 100).toFixed(2)} €;${rng.pick(WORDS)}\n`;
}

/** One database page: a header, records (compressible text with random numbers), then free space as zeros. */
export function dbPage(rng: Rng, pageNo: number, generation: number): Buffer {
  const page = Buffer.alloc(PAGE);
  page.writeUInt32LE(pageNo, 0);
  page.writeUInt32LE(generation, 4);
  page.writeUInt32LE(rng.int(0xffffffff), 8);
  let off = 16;
  const fill = 0.6 + rng.next() * 0.35;
  while (off < PAGE * fill) {
    const line = Buffer.from(textLine(rng));
    if (off + line.length > PAGE) break;
    line.copy(page, off);
    off += line.length;
  }
  return page;
}

function writeDb(path: string, bytes: number, rng: Rng): void {
  const fd = openSync(path, 'w');
  const pages = Math.floor(bytes / PAGE);
  const batch = 256;
  for (let p = 0; p < pages; p += batch) {
    const n = Math.min(batch, pages - p);
    const bufs: Buffer[] = [];
    for (let i = 0; i < n; i++) bufs.push(dbPage(rng, p + i, 0));
    writeSync(fd, Buffer.concat(bufs));
  }
  closeSync(fd);
}

function invoice(rng: Rng, n: number): Buffer {
  const lines = [`%PDF-1.4 facture n° ${n}\n`, `Boulangerie « Au Pain Doré », 12 rue de l'Église, 67000 Strasbourg\n`];
  const count = 20 + rng.int(120);
  for (let i = 0; i < count; i++) lines.push(textLine(rng));
  const noise = Buffer.alloc(1024 + rng.int(4096)); // embedded compressed font / logo stream
  randomFillSync(noise);
  return Buffer.concat([Buffer.from(lines.join('')), noise, Buffer.from('\n%%EOF\n')]);
}

function randomBytes(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  const rng = new Rng(seed);
  for (let i = 0; i < size; i += 4) b.writeUInt32LE(rng.int(0xffffffff) >>> 0, i > size - 4 ? size - 4 : i);
  return b;
}

export interface DatasetInfo {
  root: string;
  bytes: number;
  files: number;
}

export function generateDataset(root: string, scale = 1, seed = 42): DatasetInfo {
  rmSync(root, { recursive: true, force: true });
  const rng = new Rng(seed);
  const dirs = {
    compta: join(root, 'Comptabilité'),
    factures: join(root, 'Factures clients'),
    photos: join(root, 'Photos vitrine'),
    docs: join(root, 'Documents bureautiques'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  writeDb(join(dirs.compta, 'caisse-ventes.db'), Math.round(400 * 2 ** 20 * scale / PAGE) * PAGE, rng);
  writeFileSync(join(dirs.compta, 'paramètres.ini'), 'devise=EUR\nTVA=5.5;10;20\n');
  const invoices = Math.round(15000 * scale);
  for (let i = 0; i < invoices; i++) {
    const year = 2022 + (i % 4);
    const dir = join(dirs.factures, String(year), `${String(1 + (i % 12)).padStart(2, '0')}`);
    if (i < 48) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `Facture ${String(i).padStart(6, '0')} – ${rng.pick(NAMES)}.pdf`), invoice(rng, i));
  }
  const photos = Math.round(100 * scale);
  for (let i = 0; i < photos; i++) writeFileSync(join(dirs.photos, `vitrine_été_${i}.jpg`), randomBytes(2 * 2 ** 20 + rng.int(2 ** 21), seed * 1000 + i));
  const docs = Math.round(250 * scale);
  for (let i = 0; i < docs; i++) {
    const text = Buffer.from(Array.from({ length: 200 + rng.int(2000) }, () => textLine(rng)).join(''));
    const name = i % 3 === 0 ? `Devis n°${i} — café & croissants.docx` : i % 3 === 1 ? `Inventaire ${i}.xlsx` : `Planning équipe ${i}.odt`;
    writeFileSync(join(dirs.docs, name), Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(200_000 + rng.int(600_000), seed + i), text]));
  }
  return describe(root);
}

/** One day of business: 1% of database pages rewritten, new invoices, edited and deleted documents. */
export function mutateOneDay(root: string, day = 1, seed = 42): { pagesRewritten: number; bytesChanged: number } {
  const rng = new Rng(seed * 7919 + day);
  const db = join(root, 'Comptabilité', 'caisse-ventes.db');
  const pages = statSync(db).size / PAGE;
  const n = Math.max(1, Math.round(pages * 0.01));
  const fd = openSync(db, 'r+');
  for (let i = 0; i < n; i++) {
    const p = rng.int(pages);
    writeSync(fd, dbPage(rng, p, day), 0, PAGE, p * PAGE);
  }
  closeSync(fd);
  let bytesChanged = n * PAGE;
  const newDir = join(root, 'Factures clients', 'nouvelles');
  mkdirSync(newDir, { recursive: true });
  for (let i = 0; i < 60; i++) {
    const b = invoice(rng, 100000 + day * 100 + i);
    writeFileSync(join(newDir, `Facture J${day}-${i}.pdf`), b);
    bytesChanged += b.length;
  }
  const docsDir = join(root, 'Documents bureautiques');
  const docs = readdirSync(docsDir).sort();
  for (let i = 0; i < 8 && docs.length; i++) {
    const f = join(docsDir, docs[rng.int(docs.length)]);
    const fd2 = openSync(f, 'r+');
    const patch = Buffer.from(`modifié le jour ${day}: ${textLine(rng)}`);
    writeSync(fd2, patch, 0, patch.length, 4096 + rng.int(4096));
    closeSync(fd2);
    bytesChanged += patch.length;
  }
  for (let i = 0; i < 4 && docs.length; i++) {
    const victim = docs.splice(rng.int(docs.length), 1)[0];
    unlinkSync(join(docsDir, victim));
  }
  return { pagesRewritten: n, bytesChanged };
}

export function describe(root: string): DatasetInfo {
  let bytes = 0, files = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else { files++; bytes += statSync(p).size; }
    }
  };
  walk(root);
  return { root, bytes, files };
}

