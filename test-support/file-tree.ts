/**
 * A folder's regular files as relative path → content, for tests that compare a restored tree with its source.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export async function readTree(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(root, p), await readFile(p));
    }
  };
  await walk(root);
  return out;
}
