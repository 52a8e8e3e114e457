import { flag, parse, UsageError } from './args.js';
import { withRepository, EXIT_OK } from './context.js';
import { Output } from './progress.js';

export const usage = 'rempart ls --repo DIR|URL SNAPSHOT|latest [--json]';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {});
  const out = new Output(flag(p, 'json'));
  const [snapshot] = p.positionals;
  if (!snapshot || p.positionals.length > 1) throw new UsageError('give one snapshot id (or "latest")');
  return withRepository(p, { needRead: false }, async (repo) => {
    for (const e of await repo.listFiles(snapshot)) {
      if (out.json) out.event({ ...e });
      else out.line(e.type === 'dir' ? `${e.path}/` : e.type === 'symlink' ? `${e.path} -> ${e.linkTarget ?? ''}` : e.path);
    }
    return EXIT_OK;
  });
}
