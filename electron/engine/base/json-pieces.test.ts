import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPieces } from './json-pieces.js';

const text = (head: object, key: string, list: unknown[], size?: number) => [...jsonPieces(head, key, list, size)];

test('jsonPieces: the pieces join into exactly JSON.stringify of the whole document', () => {
  const entries = Array.from({ length: 5000 }, (_, i) => ({ path: `Compta/Facture n°${i} — café 🍰.pdf`, size: i, blobs: [`${i}`.padStart(64, 'a')] }));
  const head = { version: 1, id: 'x"y\\z', time: '2026-11-24T10:00:00Z', summary: { files: 3, note: undefined } };
  const pieces = text(head, 'entries', entries, 4096);
  assert.ok(pieces.length > 10, 'written in many pieces');
  assert.ok(pieces.every((p, i) => i === pieces.length - 1 || p.length < 4096 + 400), 'each piece about the size asked');
  assert.equal(pieces.join(''), JSON.stringify({ ...head, entries }));

});

test('jsonPieces: empty lists, an empty head, items without a JSON form', () => {
  for (const [head, list] of [[{}, []], [{ a: 1 }, []], [{ a: [1, { b: 2 }] }, [{ k: 1 }]], [{}, [undefined, () => 1, null, 0]]] as const) {
    const whole = JSON.stringify({ ...head, list });
    assert.equal(text(head, 'list', list as unknown as unknown[]).join(''), whole);
    assert.deepEqual(JSON.parse(whole), JSON.parse(text(head, 'list', list as unknown as unknown[]).join('')));
  }
});
