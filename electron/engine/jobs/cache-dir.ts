import { homedir } from 'node:os';
import { join } from 'node:path';

/** Default local cache folder of a repository: <OS cache dir>/rempart/<repoId>. */
export function defaultCacheDir(repoId: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  let base: string;
  if (env.REMPART_CACHE_DIR) return join(env.REMPART_CACHE_DIR, repoId);
  if (platform === 'win32') base = env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
  else if (platform === 'darwin') base = join(homedir(), 'Library', 'Caches');
  else base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'rempart', repoId);
}
