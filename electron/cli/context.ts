import { isRepository, openRepository, openStore, RempartError, type BlobStore, type Repository } from '../engine/index.js';
import { flag, requireRepo, str, type Parsed } from './args.js';
import { Output } from './progress.js';
import { repoSecret, webdavPassword } from './secrets.js';

/** What every command needs: the output, the store named by --repo, and the repository opened with the right secret. */
export interface CommandContext {
  out: Output;
  parsed: Parsed;
}

export async function storeFromArgs(p: Parsed): Promise<BlobStore> {
  const location = requireRepo(p);
  const password = await webdavPassword(location);
  return openStore(location, { password, allowInsecureHttp: flag(p, 'insecure-http') });
}

/** Runs fn with the repository named by --repo, opened with the right secret; always closes it and its store. */
export async function withRepository<T>(p: Parsed, opts: { needRead: boolean }, fn: (r: Repository) => Promise<T>): Promise<T> {
  const store = await storeFromArgs(p);
  try {
    // Say "not a repository" before asking for a secret that could not open anything anyway.
    if (!(await isRepository(store))) {
      throw new RempartError('NOT_A_REPOSITORY', `${store.location}: no config.json`);
    }
    const secret = await repoSecret(opts);
    const repo = await openRepository(store, secret, { cacheDir: str(p, 'cache-dir') });
    try {
      return await fn(repo);
    } finally {
      await repo.close().catch(() => {});
    }
  } finally {
    await store.close().catch(() => {});
  }
}

/** Exit codes of the contract. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_SKIPPED = 3;
