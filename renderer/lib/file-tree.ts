/** Browsing a restore point's flat file list as folders: roots, children of a folder, search. Paths use '/' or '\'. */
import type { RestoreFileDto } from '../../electron/contract/api.js';

export function parentOf(path: string): string | null {
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (i < 0) return null;
  return i === 0 ? trimmed.slice(0, 1) : trimmed.slice(0, i);
}

export function nameOf(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return i < 0 ? trimmed : trimmed.slice(i + 1) || trimmed;
}

const byKindThenName = (a: RestoreFileDto, b: RestoreFileDto) =>
  (a.type === 'dir' ? 0 : 1) - (b.type === 'dir' ? 0 : 1) || nameOf(a.path).localeCompare(nameOf(b.path));

/** Entries directly inside `dir`; with dir = null, the top entries (those whose parent is not in the list). */
export function childrenOf(files: RestoreFileDto[], dir: string | null): RestoreFileDto[] {
  if (dir !== null) return files.filter((f) => parentOf(f.path) === dir).sort(byKindThenName);
  const known = new Set(files.map((f) => f.path));
  return files.filter((f) => {
    const parent = parentOf(f.path);
    return parent === null || !known.has(parent);
  }).sort(byKindThenName);
}

/** Entries whose name contains every word of the query (case and accents ignored). */
export function searchFiles(files: RestoreFileDto[], query: string): RestoreFileDto[] {
  const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const words = norm(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return files.filter((f) => words.every((w) => norm(nameOf(f.path)).includes(w))).sort(byKindThenName);
}

/** Total size of a folder (sum of files below it) or of a file. */
export function sizeOf(files: RestoreFileDto[], entry: RestoreFileDto): number {
  if (entry.type !== 'dir') return entry.size;
  const prefix = entry.path.replace(/[\\/]+$/, '');
  return files.reduce((sum, f) => (f.type === 'file' && (f.path.startsWith(`${prefix}/`) || f.path.startsWith(`${prefix}\\`)) ? sum + f.size : sum), 0);
}

/** One pass over the list: entries by parent folder and the total size below every folder (for large restore points). */
export interface FileIndex {
  children(dir: string | null): RestoreFileDto[];
  size(entry: RestoreFileDto): number;
}

export function indexFiles(files: RestoreFileDto[]): FileIndex {
  const known = new Set(files.map((f) => f.path));
  const byParent = new Map<string | null, RestoreFileDto[]>();
  const sizes = new Map<string, number>();
  for (const f of files) {
    const parent = parentOf(f.path);
    const key = parent !== null && known.has(parent) ? parent : null;
    const list = byParent.get(key) ?? [];
    list.push(f);
    byParent.set(key, list);
    if (f.type !== 'file') continue;
    for (let p = parent; p !== null && known.has(p); p = parentOf(p)) {
      sizes.set(p, (sizes.get(p) ?? 0) + f.size);
      if (parentOf(p) === p) break;
    }
  }
  for (const list of byParent.values()) list.sort(byKindThenName);
  return {
    children: (dir) => byParent.get(dir) ?? [],
    size: (entry) => (entry.type === 'dir' ? (sizes.get(entry.path) ?? 0) : entry.size),
  };
}
