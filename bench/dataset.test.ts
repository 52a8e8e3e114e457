import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset, mutateOneDay, describe as describeTree, PAGE } from './dataset.js';

const hashTree = (root: string) => {
  const db = readFileSync(join(root, 'Comptabilité', 'caisse-ventes.db'));
  return createHash('sha256').update(db).digest('hex');
};

test('the dataset is deterministic and one day rewrites about 1% of the database pages', () => {
  const a = mkdtempSync(join(tmpdir(), 'rempart-ds-a-'));
  const b = mkdtempSync(join(tmpdir(), 'rempart-ds-b-'));
  try {
    const ia = generateDataset(a, 0.01, 7);
    const ib = generateDataset(b, 0.01, 7);
    assert.equal(ia.bytes, ib.bytes);
    assert.equal(ia.files, ib.files);
    assert.equal(hashTree(a), hashTree(b));
    const before = readFileSync(join(a, 'Comptabilité', 'caisse-ventes.db'));
    const day = mutateOneDay(a, 1, 7);
    const after = readFileSync(join(a, 'Comptabilité', 'caisse-ventes.db'));
    assert.equal(before.length, after.length);
    let changed = 0;
    for (let p = 0; p < before.length; p += PAGE) if (!before.subarray(p, p + PAGE).equals(after.subarray(p, p + PAGE))) changed++;
    assert.ok(changed >= 1 && changed <= day.pagesRewritten, `changed pages ${changed}`);
    assert.ok(Math.abs(day.pagesRewritten - before.length / PAGE / 100) <= 1);
    assert.ok(describeTree(a).files > ia.files, 'new invoices were added');
    assert.ok(statSync(join(a, 'Factures clients', 'nouvelles')).isDirectory());
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});
