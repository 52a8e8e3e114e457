/**
 * The commands of the `rempart` command line: one module per command (restic's cmd_*.go). Exit codes: 0 success,
 * 1 failure, 3 finished with skipped files (listed). Errors: one plain line `error CODE: …` (stack with REMPART_DEBUG=1).
 * Loaded by main.ts on the thread that runs the command: the engine thread (this module is its entry), or the main
 * thread where no worker can start.
 */
import { isMainThread } from 'node:worker_threads';
import * as backup from './cmd-backup.js';
import * as check from './cmd-check.js';
import * as diff from './cmd-diff.js';
import * as forget from './cmd-forget.js';
import * as init from './cmd-init.js';
import * as key from './cmd-key.js';
import * as ls from './cmd-ls.js';
import * as passwd from './cmd-passwd.js';
import * as restore from './cmd-restore.js';
import * as snapshots from './cmd-snapshots.js';
import { errorLine } from './error-text.js';
import { EXIT_FAILURE, EXIT_OK } from './context.js';

interface Command {
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = { init, backup, snapshots, ls, diff, restore, check, forget, passwd, key };

function help(): string {
  return [
    'rempart: encrypted, deduplicated, versioned backups to a folder, a USB drive or a WebDAV server',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'Secrets: REMPART_PASSPHRASE or REMPART_RECOVERY_KEY (or REMPART_WRITER_KEY for backup only), else asked on the terminal.',
    'WebDAV: --repo https://user@host/path/ with REMPART_WEBDAV_PASSWORD, else asked.',
    'Exit codes: 0 success, 1 failure, 3 finished but some files were skipped (listed).',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? EXIT_OK : EXIT_FAILURE;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`error INVALID_INPUT: unknown command ${JSON.stringify(name)}\n${help()}\n`);
    return EXIT_FAILURE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${cmd.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    const { line } = errorLine(err);
    process.stderr.write(`${line}\n`);
    if (process.env.REMPART_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT_FAILURE;
  }
}

// As the engine thread's entry: run the command line given to the thread and end with its code, without waiting for
// stray timers (lock refresh, sockets).
if (!isMainThread) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  setTimeout(() => process.exit(code), 200).unref();
}
