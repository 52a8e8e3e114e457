import { flag, parse, UsageError } from './args.js';
import { withRepository, EXIT_OK } from './context.js';
import { Output } from './progress.js';

export const usage = 'rempart diff --repo DIR|URL SNAPSHOT SNAPSHOT [--json]';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {});
  const out = new Output(flag(p, 'json'));
  if (p.positionals.length !== 2) throw new UsageError('give two snapshot ids');
  const [a, b] = p.positionals;
  return withRepository(p, { needRead: false }, async (repo) => {
    const d = await repo.diff(a, b);
    if (out.json) {
      process.stdout.write(`${JSON.stringify(d)}\n`);
      return EXIT_OK;
    }
    for (const path of d.added) out.line(`+    ${path}`);
    for (const path of d.removed) out.line(`-    ${path}`);
    for (const path of d.modified) out.line(`M    ${path}`);
    out.line(`${d.added.length} added, ${d.removed.length} removed, ${d.modified.length} modified`);
    return EXIT_OK;
  });
}
