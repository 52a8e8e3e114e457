import { flag, parse, UsageError } from './args.js';
import { withRepository, EXIT_OK } from './context.js';
import { Output } from './progress.js';
import { encodeWriterKey } from './secrets.js';

export const usage = 'rempart key show-writer --repo DIR|URL   (prints REMPART_WRITER_KEY for write-only backups)';

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'show-writer') throw new UsageError(`unknown key subcommand ${JSON.stringify(sub ?? '')}; try: ${usage}`);
  const p = parse(rest, {});
  const out = new Output(flag(p, 'json'));
  return withRepository(p, { needRead: true }, async (repo) => {
    const key = encodeWriterKey(repo.credentials());
    out.event({ type: 'writer-key', repositoryId: repo.id, writerKey: key });
    out.line(key);
    return EXIT_OK;
  });
}
