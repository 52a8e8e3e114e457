import { flag, list, parse, str, UsageError } from './args.js';
import { withRepository, EXIT_FAILURE, EXIT_OK } from './context.js';
import { formatBytes, Output } from './progress.js';
import { onInterrupt } from './terminal.js';

export const usage = 'rempart restore --repo DIR|URL SNAPSHOT|latest --target DIR|original [--include PATH]... [--verify] [--json]';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, { target: { type: 'string', short: 't' }, include: { type: 'string', multiple: true }, verify: { type: 'boolean', default: false } });
  const out = new Output(flag(p, 'json'));
  const [snapshotId] = p.positionals;
  if (!snapshotId || p.positionals.length > 1) throw new UsageError('give one snapshot id (or "latest")');
  const target = str(p, 'target');
  if (!target) throw new UsageError('missing --target DIR (or --target original to put files back where they were)');
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  const stopListening = onInterrupt(onSigint);
  try {
    return await withRepository(p, { needRead: true }, async (repo) => {
      let lastJson = 0;
      const s = await repo.restore({
        snapshotId,
        target,
        include: list(p, 'include'),
        verifyFiles: flag(p, 'verify'),
        signal: ac.signal,
        onProgress: (pr) => {
          if (out.json) {
            if (Date.now() - lastJson >= 1000) {
              lastJson = Date.now();
              out.event({ type: 'progress', ...pr });
            }
          } else out.bar({ label: 'restore', done: pr.bytesDone, total: pr.bytesTotal, bytesDone: pr.bytesDone, bytesTotal: pr.bytesTotal, current: pr.currentFile });
        },
      });
      out.clearBar();
      for (const k of s.keptAside) out.note(`kept aside ${k.path} as ${k.keptAs}`);
      for (const e of s.errors) out.note(`failed ${e.path}: ${e.message}`);
      out.event({ type: 'summary', ...s });
      out.line(
        `restored ${s.filesRestored} file(s), ${formatBytes(s.bytesRestored)}; ${s.unchanged} already identical; ` +
          `${s.keptAside.length} kept aside; ${s.errors.length} error(s)`,
      );
      return s.errors.length > 0 ? EXIT_FAILURE : EXIT_OK;
    });
  } finally {
    stopListening();
  }
}
