import { flag, parse } from './args.js';
import { withRepository, EXIT_FAILURE, EXIT_OK } from './context.js';
import { formatBytes, Output } from './progress.js';

export const usage = 'rempart check --repo DIR|URL [--read-data] [--json]';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, { 'read-data': { type: 'boolean', default: false } });
  const out = new Output(flag(p, 'json'));
  const readData = flag(p, 'read-data');
  return withRepository(p, { needRead: readData }, async (repo) => {
    const r = await repo.check({
      readData,
      onProgress: (pr) => out.bar({ label: 'check', done: pr.packsDone, total: pr.packsTotal, bytesDone: pr.bytesDone }),
    });
    out.clearBar();
    for (const pr of r.problems) {
      out.event({ type: 'problem', ...pr });
      out.note(`problem ${pr.kind} ${pr.path}: ${pr.message}`);
    }
    out.event({ type: 'summary', ...r });
    out.line(
      `${r.ok ? 'no errors were found' : `${r.problems.length} problem(s) found`}: ` +
        `${r.snapshotsChecked} snapshot(s), ${r.packsChecked} pack(s), ${formatBytes(r.bytesChecked)} checked${readData ? ' (data read and verified)' : ''}`,
    );
    return r.ok ? EXIT_OK : EXIT_FAILURE;
  });
}
