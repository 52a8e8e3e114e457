import { Chunker, chunkParamsForSize } from '../content/chunker.js';
import { compressBlob } from '../content/compression.js';
import type { StoredBlob } from '../repository/types.js';
import type { StreamChunker } from './file-reader.js';

/** The content layer as the backup pipeline uses it: a chunker sized for the file, and one compression per blob. */
export function newChunker(fileSize: number): StreamChunker {
  const c = new Chunker(chunkParamsForSize(fileSize));
  return { push: (data) => c.push(data), finish: () => c.end() };
}

export async function compressChunk(plain: Buffer): Promise<StoredBlob> {
  const { codec, data } = await compressBlob(plain);
  return { codec, data, rawLength: plain.length };
}
