/**
 * The text of `JSON.stringify({ ...head, [key]: list })`, in pieces of about `pieceSize` characters, so that a large
 * document (a snapshot's file list) is compressed as it is produced: its whole text (tens of MB for a shop's years of
 * files, twice that as a JS string once a name has an accent) never sits in memory. `list` goes last, each item through
 * JSON.stringify (`null` for an item without a JSON form, as in an array). `head` must not hold `key`.
 * (A backup does not even hold the list: it spools each item's text as its file completes, jobs/backup-spool.ts.)
 */
export function* jsonPieces(head: object, key: string, list: readonly unknown[], pieceSize = 64 * 1024): Generator<string> {
  const open = JSON.stringify(head).slice(0, -1); // "{…" without its closing brace
  let piece = `${open}${open.length > 1 ? ',' : ''}${JSON.stringify(key)}:[`;
  let first = true;
  for (const item of list) {
    const text = JSON.stringify(item) ?? 'null';
    piece += first ? text : `,${text}`;
    first = false;
    if (piece.length >= pieceSize) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}]}`;
}
