import { backup, type BackupProgress } from '../engine/index.js';
import { flag, list, parse, str, UsageError } from './args.js';
import { withRepository, EXIT_FAILURE, EXIT_OK, EXIT_SKIPPED } from './context.js';
import { formatInfo } from './error-text.js';
import { formatBytes, formatDuration, Output } from './progress.js';
import { onInterrupt } from './terminal.js';

export const usage = 'rempart backup --repo DIR|URL [--exclude GLOB]... [--tag TAG]... [--host NAME] [--json] SOURCE...';

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {
    exclude: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    host: { type: 'string' },
  });
  const out = new Output(flag(p, 'json'));
  if (p.positionals.length === 0) throw new UsageError('give at least one folder to back up');
  const ac = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    out.note('cancelling (press Ctrl-C again to stop at once)…');
    ac.abort();
  };
  const stopListening = onInterrupt(onSigint);
  try {
    return await withRepository(p, { needRead: false }, async (repo) => {
      let lastJson = 0;
      let lastPhase = '';
      const onProgress = (pr: BackupProgress) => {
        if (out.json) {
          const now = Date.now();
          if (now - lastJson < 1000 && pr.phase === lastPhase) return;
          lastJson = now;
          lastPhase = pr.phase;
          out.event({ type: 'progress', ...pr });
          return;
        }
        out.bar({
          label: pr.phase === 'backing-up' ? 'backup' : pr.phase,
          done: pr.bytesDone,
          total: pr.bytesTotal,
          bytesDone: pr.bytesDone,
          bytesTotal: pr.bytesTotal,
          rate: pr.bytesPerSecond,
          eta: pr.etaSeconds,
          current: pr.currentFile,
        });
      };
      const [outcome] = await backup({
        repositories: [repo],
        sources: p.positionals,
        excludes: list(p, 'exclude'),
        tags: list(p, 'tag'),
        host: str(p, 'host'),
        onProgress,
        signal: ac.signal,
      });
      out.clearBar();
      if (!outcome.ok) {
        out.event({ type: 'error', ...outcome.error });
        process.stderr.write(`${formatInfo(outcome.error)}\n`);
        return EXIT_FAILURE;
      }
      const s = outcome.snapshot;
      for (const k of outcome.skipped) {
        out.event({ type: 'skipped', ...k });
        out.note(`skipped ${k.path}: ${k.reason} (${k.message})`);
      }
      out.event({ type: 'summary', snapshot: s, newPacks: outcome.newPacks, skipped: outcome.skipped.length });
      const sum = s.summary;
      out.line(
        `snapshot ${s.id} saved: ${sum.files} files, ${sum.dirs} folders, ${formatBytes(sum.totalBytes)}; ` +
          `read ${formatBytes(sum.bytesRead)}, added ${formatBytes(sum.bytesStored)} (${sum.newBlobs} new blobs) in ${formatDuration(sum.durationMs / 1000)}`,
      );
      if (outcome.skipped.length > 0) {
        out.line(`${outcome.skipped.length} item(s) skipped (listed above)`);
        return EXIT_SKIPPED;
      }
      return EXIT_OK;
    });
  } finally {
    stopListening();
  }
}
