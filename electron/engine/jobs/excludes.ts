import { Minimatch } from 'minimatch';

/**
 * Exclude rules, gitignore-flavoured, matched with minimatch:
 * - a pattern without '/' matches a name at any depth ("*.tmp", "Thumbs.db", "node_modules");
 * - a pattern with '/' matches the path relative to the source root, or to the snapshot root (label first),
 *   or the absolute path when it starts with '/' ("Compta/old/**", "**\/Cache", "/home/anne/Bureau/tmp");
 * - a trailing '/' restricts the pattern to folders ("Cache/").
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  'Thumbs.db',
  'desktop.ini',
  '.DS_Store',
  '*.tmp',
  '~$*.doc*',
  '~$*.xls*',
  '~$*.ppt*',
  '~$*.odt',
  '.~lock.*#',
  '$RECYCLE.BIN/',
  'System Volume Information/',
];

interface Rule {
  matcher: Minimatch;
  /**
   * The pattern as one regular expression, for rules matched against a bare name: minimatch.match() splits the path it
   * is given on every call (11 default rules × every file of a shop: a scan's worth of garbage and time).
   */
  nameRe: RegExp | false;
  dirOnly: boolean;
  baseOnly: boolean;
  absolute: boolean;
}

export interface ExcludeTarget {
  /** Path relative to the source root, '/'-separated ("" for the root itself). */
  rel: string;
  /** Snapshot path, label first ("Documents/Compta/x.db"). */
  snapshotPath: string;
  /** Absolute path, '/'-separated. */
  absolute: string;
  isDir: boolean;
}

export class ExcludeMatcher {
  private readonly rules: Rule[];

  constructor(patterns: readonly string[], opts: { defaults?: boolean; nocase?: boolean } = {}) {
    const nocase = opts.nocase ?? (process.platform === 'win32' || process.platform === 'darwin');
    const all = [...(opts.defaults === false ? [] : DEFAULT_EXCLUDES), ...patterns];
    this.rules = all
      .map((p) => p.trim().replace(/\\/g, '/'))
      .filter((p) => p.length > 0 && !p.startsWith('#'))
      .map((raw) => {
        const dirOnly = raw.endsWith('/');
        let pattern = dirOnly ? raw.replace(/\/+$/, '') : raw;
        const absolute = pattern.startsWith('/') || /^[A-Za-z]:\//.test(pattern);
        const baseOnly = !pattern.includes('/');
        if (pattern.startsWith('./')) pattern = pattern.slice(2);
        // a Windows drive letter pattern is compared against "C:/…" absolute paths
        const matcher = new Minimatch(pattern, { dot: true, nocase, nocomment: true, nonegate: true });
        return { matcher, nameRe: baseOnly ? matcher.makeRe() : false, dirOnly, baseOnly, absolute };
      });
  }

  get size(): number {
    return this.rules.length;
  }

  excludes(t: ExcludeTarget): boolean {
    if (t.rel === '') return false; // never exclude a source root the user chose
    const base = t.rel.slice(t.rel.lastIndexOf('/') + 1);
    for (const r of this.rules) {
      if (r.dirOnly && !t.isDir) continue;
      if (r.baseOnly) {
        if (r.nameRe ? r.nameRe.test(base) : r.matcher.match(base)) return true;
      } else if (r.absolute) {
        if (r.matcher.match(t.absolute)) return true;
      } else if (r.matcher.match(t.rel) || r.matcher.match(t.snapshotPath)) {
        return true;
      }
    }
    return false;
  }
}
