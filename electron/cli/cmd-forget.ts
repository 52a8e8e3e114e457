import { DEFAULT_RETENTION, type RetentionPolicy } from '../engine/index.js';
import { flag, int, parse } from './args.js';
import { withRepository, EXIT_OK } from './context.js';
import { formatBytes, Output } from './progress.js';

export const usage =
  'rempart forget --repo DIR|URL [--keep-last N] [--keep-within-hours N] [--keep-daily N] [--keep-weekly N] [--keep-monthly N] [--keep-yearly N] [--prune] [--dry-run] [--json]';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {
    'keep-last': { type: 'string' },
    'keep-within-hours': { type: 'string' },
    'keep-daily': { type: 'string' },
    'keep-weekly': { type: 'string' },
    'keep-monthly': { type: 'string' },
    'keep-yearly': { type: 'string' },
    prune: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  });
  const out = new Output(flag(p, 'json'));
  const given: RetentionPolicy = {
    keepLast: int(p, 'keep-last'),
    keepWithinHours: int(p, 'keep-within-hours'),
    keepDaily: int(p, 'keep-daily'),
    keepWeekly: int(p, 'keep-weekly'),
    keepMonthly: int(p, 'keep-monthly'),
    keepYearly: int(p, 'keep-yearly'),
  };
  const anyGiven = Object.values(given).some((v) => v !== undefined);
  const policy: RetentionPolicy = anyGiven
    ? Object.fromEntries(Object.entries(given).map(([k, v]) => [k, v ?? 0]))
    : { ...DEFAULT_RETENTION };
  return withRepository(p, { needRead: false }, async (repo) => {
    const r = await repo.forget(policy, { prune: flag(p, 'prune'), dryRun: flag(p, 'dry-run') });
    out.event({ type: 'summary', policy, ...r });
    const verb = flag(p, 'dry-run') ? 'would remove' : 'removed';
    for (const id of r.removed) out.line(`${verb} snapshot ${id}`);
    out.line(`kept ${r.kept.length} snapshot(s), ${verb} ${r.removed.length}`);
    if (r.prune) {
      out.line(`pruned: ${r.prune.packsRemoved} pack(s) removed, ${r.prune.packsRepacked} repacked, ${formatBytes(r.prune.bytesFreed)} freed`);
    }
    return EXIT_OK;
  });
}
