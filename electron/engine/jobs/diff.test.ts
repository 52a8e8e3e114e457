import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffEntries } from './diff.js';
import { sample } from './drill.js';

const f = (path: string, size: number, mtime: string, sha256?: string) => ({ path, type: 'file' as const, size, mtime, sha256 });

test('diff: added, removed, modified; by content when hashes are known', () => {
  const a = [f('S/a', 1, 't1', 'h1'), f('S/b', 2, 't1', 'h2'), f('S/c', 3, 't1', 'h3'), { path: 'S/l', type: 'symlink' as const, size: 0, mtime: 't', target: 'x' }];
  const b = [f('S/a', 1, 't2', 'h1'), f('S/b', 2, 't1', 'hX'), f('S/d', 4, 't1', 'h4'), { path: 'S/l', type: 'symlink' as const, size: 0, mtime: 't', target: 'y' }];
  assert.deepEqual(diffEntries(a, b, true), { added: ['S/d'], removed: ['S/c'], modified: ['S/b', 'S/l'] });
  // without hashes (writer key only): a touched file counts as modified, a same-size same-date edit cannot be seen
  const strip = (xs: typeof a) => xs.map((x) => ({ ...x, sha256: undefined }));
  assert.deepEqual(diffEntries(strip(a), strip(b), false), { added: ['S/d'], removed: ['S/c'], modified: ['S/a', 'S/l'] });
});

test('diff: a file that became a folder is modified', () => {
  const d = diffEntries([f('S/x', 1, 't')], [{ path: 'S/x', type: 'dir', size: 0, mtime: 't' }], true);
  assert.deepEqual(d.modified, ['S/x']);
});

test('drill sample: n distinct items, all when fewer', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const s = sample(items, 10);
  assert.equal(s.length, 10);
  assert.equal(new Set(s).size, 10);
  assert.deepEqual(sample([1, 2, 3], 10).sort(), [1, 2, 3]);
  let k = 0;
  assert.deepEqual(sample(items, 3, () => k++ % 1), [0, 49, 48]);
});
