import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRempartError } from '../base/errors.js';
import { toListingRow } from './snapshot-files.js';
import { newTestRepo, putFiles, randomData, summary, textData, type TestRepo } from './test-fixtures.js';
import type { ManifestEntry, NewSnapshot, RenderedEntries } from './types.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
async function fresh(): Promise<TestRepo> {
  const t = await newTestRepo({ packSize: 4 * 1024 * 1024 });
  cleanups.push(() => t.cleanup());
  return t;
}
const code = (c: string) => (err: unknown) => isRempartError(err) && err.code === c;

/** Comma-separated JSON texts, cut into pieces at arbitrary byte offsets (inside a multi-byte character too). */
function pieces(texts: string[], cut: number): () => AsyncIterable<Buffer> {
  const bytes = Buffer.from(texts.join(','), 'utf8');
  return async function* () {
    for (let off = 0; off < bytes.length; off += cut) yield bytes.subarray(off, off + cut);
  };
}

function rendered(entries: ManifestEntry[], packs: string[], pending: string[], cut = 97): RenderedEntries {
  return {
    manifest: pieces(entries.map((e) => JSON.stringify(e)), cut),
    listing: pieces(entries.map((e) => JSON.stringify(toListingRow(e))), cut),
    packs,
    pendingBlobs: () => pending,
  };
}

const head = (entries: NewSnapshot['entries']): NewSnapshot => ({
  host: 'caisse',
  sources: [{ label: 'Boutique', path: '/srv/Boutique' }],
  tags: [],
  summary: summary(3),
  entries,
});

test('rendered entries make the same snapshot as the list they render: manifest, listing and packs', async () => {
  const t = await fresh();
  const entries = await putFiles(t.repo, {
    'Boutique/caisse.db': randomData(5_000_000), // more than one pack
    'Boutique/Factures/Facture 001 – Élodie Côté 🧾.txt': textData(300_000),
    'Boutique/vide.txt': Buffer.alloc(0),
  });
  entries.splice(1, 0, { path: 'Boutique/Factures', type: 'dir', size: 0, mtime: '2026-11-24T10:00:00.000Z', mode: 0o755 });
  await t.repo.flush();
  const fromList = await t.repo.saveSnapshot(head(entries));

  // as a backup records them: the packs of blobs already written, and blobs named before their pack was written
  const ids = entries.flatMap((e) => e.blobs ?? []);
  const known = [t.repo.packIdOf(ids[0])!];
  const fromRendered = await t.repo.saveSnapshot(head(rendered(entries, known, [...ids.slice(1), ids[1]])));

  assert.ok(fromList.packs.length >= 2);
  assert.deepEqual(fromRendered.packs, fromList.packs);
  const [a, b] = [await t.repo.loadManifest(fromList.id), await t.repo.loadManifest(fromRendered.id)];
  assert.deepEqual(b.entries, a.entries);
  assert.deepEqual(b.entries, entries);
  assert.deepEqual(await t.repo.loadListing(fromRendered.id), await t.repo.loadListing(fromList.id));
  assert.deepEqual((await t.repo.listSnapshots()).find((s) => s.id === fromRendered.id)?.packs, fromList.packs);
});

test('rendered entries: a blob in no written pack, or a pack not in the index, is DATA_MISSING and nothing is committed', async () => {
  const t = await fresh();
  const entries = await putFiles(t.repo, { 'Boutique/a.txt': textData(10_000) });
  await t.repo.flush();
  const pack = t.repo.packIdOf(entries[0].blobs![0])!;
  await assert.rejects(t.repo.saveSnapshot(head(rendered(entries, [pack], ['ab'.repeat(32)]))), code('DATA_MISSING'));
  await assert.rejects(t.repo.saveSnapshot(head(rendered(entries, ['cd'.repeat(32)], []))), code('DATA_MISSING'));
  assert.equal((await t.repo.listSnapshots()).length, 0);
});
