import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Per-repository local cache of the files of the last snapshot (restic's parent-snapshot shortcut, Kopia's
 * "cached metadata"): a file whose size, mtime and inode did not change is not read again; its blob list is reused.
 * The cache is only an optimisation: losing or corrupting it costs a re-read, never data.
 */
export interface CachedFile {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
  blobs: string[];
  sha256: string;
}

interface CacheFileFormat {
  version: 1;
  repoId: string;
  snapshotId: string;
  files: Record<string, CachedFile>;
}

const FILE_NAME = 'files-v1.json';

export class FileCache {
  private constructor(
    readonly dir: string,
    readonly repoId: string,
    private readonly entries: Map<string, CachedFile>,
    readonly snapshotId: string | null,
  ) {}

  /** Loads the cache of `repoId` from `dir`; a missing or unreadable cache is an empty one. */
  static async load(dir: string, repoId: string): Promise<FileCache> {
    try {
      const parsed = JSON.parse(await readFile(join(dir, FILE_NAME), 'utf8')) as CacheFileFormat;
      if (parsed.version !== 1 || parsed.repoId !== repoId || typeof parsed.files !== 'object') throw new Error('stale');
      return new FileCache(dir, repoId, new Map(Object.entries(parsed.files)), parsed.snapshotId);
    } catch {
      return new FileCache(dir, repoId, new Map(), null);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached record when `st` shows the same file unchanged (same size, mtime, inode and device). */
  lookup(absPath: string, st: { size: number; mtimeMs: number; ino: number; dev: number }): CachedFile | null {
    const c = this.entries.get(absPath);
    if (!c) return null;
    if (c.size !== st.size || c.mtimeMs !== st.mtimeMs || c.ino !== st.ino || c.dev !== st.dev) return null;
    return c;
  }

  /**
   * Writes a new cache atomically (temp file, fsync, rename) for the snapshot just committed, as it is produced: `body` is
   * the text of the `files` object's members, comma-separated (`"<path>":<CachedFile JSON>`), in UTF-8 pieces, as a backup
   * spools them while its files complete (backup-spool.ts). The whole text of a large cache never sits in memory.
   */
  static async save(dir: string, repoId: string, snapshotId: string, body: AsyncIterable<Buffer>): Promise<void> {
    const head = JSON.stringify({ version: 1, repoId, snapshotId } satisfies Omit<CacheFileFormat, 'files'>).slice(0, -1);
    async function* text(): AsyncGenerator<string | Buffer> {
      yield `${head},"files":{`;
      yield* body;
      yield '}}';
    }
    await writeAtomically(dir, text());
  }
}

/** The text of one cache record, as FileCache.save expects it (comma-separated from the others). */
export function cacheRecordText(absPath: string, record: Omit<CachedFile, 'blobs'> & { blobs: readonly string[] }): string {
  return `${JSON.stringify(absPath)}:${JSON.stringify(record)}`;
}

async function writeAtomically(dir: string, pieces: AsyncIterable<string | Buffer>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const final = join(dir, FILE_NAME);
  const tmp = `${final}.${process.pid}.tmp`;
  try {
    const fh = await open(tmp, 'w');
    try {
      for await (const piece of pieces) await fh.writeFile(piece); // at the current position, whole
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
