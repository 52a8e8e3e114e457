import { flag, parse } from './args.js';
import { withRepository, EXIT_OK } from './context.js';
import { formatBytes, Output } from './progress.js';

export const usage = 'rempart snapshots --repo DIR|URL [--json]';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {});
  const out = new Output(flag(p, 'json'));
  return withRepository(p, { needRead: false }, async (repo) => {
    const snaps = await repo.listSnapshots();
    if (out.json) {
      process.stdout.write(`${JSON.stringify(snaps)}\n`);
      return EXIT_OK;
    }
    out.line(`${'ID'.padEnd(10)}${'Time (UTC)'.padEnd(22)}${'Host'.padEnd(16)}${'Files'.padStart(8)}${'Size'.padStart(12)}  Sources`);
    for (const s of snaps) {
      out.line(
        `${s.id.slice(0, 8).padEnd(10)}${s.time.replace('T', ' ').slice(0, 19).padEnd(22)}${s.host.slice(0, 15).padEnd(16)}` +
          `${String(s.summary.files).padStart(8)}${formatBytes(s.summary.totalBytes).padStart(12)}  ${s.sources.join(', ')}`,
      );
    }
    out.line(`${snaps.length} snapshot(s)`);
    return EXIT_OK;
  });
}
