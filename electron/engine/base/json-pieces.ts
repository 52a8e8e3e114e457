/**
 * The text of `JSON.stringify({ ...head, [key]: list })`, in pieces of about `pieceSize` characters, so that a large
 * document (a snapshot's file list, the file cache) is written or compressed as it is produced: its whole text (tens of
 * MB for a shop's years of files, twice that as a JS string once a name has an accent) never sits in memory.
 * `list` goes last: an array (each item through JSON.stringify) or a Map, written as an object of its entries (as
 * Object.fromEntries would: entries whose value has no JSON form are left out). `head` must not hold `key`.
 */
export function* jsonPieces(head: object, key: string, list: readonly unknown[] | ReadonlyMap<string, unknown>, pieceSize = 64 * 1024): Generator<string> {
  const open = JSON.stringify(head).slice(0, -1); // "{…" without its closing brace
  const array = Array.isArray(list);
  let piece = `${open}${open.length > 1 ? ',' : ''}${JSON.stringify(key)}:${array ? '[' : '{'}`;
  let first = true;
  for (const text of array ? itemTexts(list as readonly unknown[]) : entryTexts(list as ReadonlyMap<string, unknown>)) {
    piece += first ? text : `,${text}`;
    first = false;
    if (piece.length >= pieceSize) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}${array ? ']' : '}'}}`;
}

function* itemTexts(list: readonly unknown[]): Generator<string> {
  for (const item of list) yield JSON.stringify(item) ?? 'null';
}

function* entryTexts(map: ReadonlyMap<string, unknown>): Generator<string> {
  for (const [k, v] of map) {
    const value = JSON.stringify(v);
    if (value !== undefined) yield `${JSON.stringify(k)}:${value}`;
  }
}
