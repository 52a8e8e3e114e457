/**
 * The CLI runs its command on a worker thread, the engine thread, started with a small young generation. On a machine
 * with much RAM, V8 lets the young generation of the main thread grow to 64 MB semi-spaces during a backup (about
 * 120 MB of resident memory for short-lived objects), and a running process cannot change that; a worker's heap limits
 * are set when it starts (resourceLimits). The main thread keeps the terminal (terminal.ts relays Ctrl-C and hidden
 * prompts) and exits with the command's code. REMPART_ENGINE_THREAD=0 runs the command on the main thread; so does a
 * runtime where the worker cannot start.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import { UsageError } from './args.js';
import { localTerminal, promptHidden, TERMINAL_KEY, type FromEngineThread, type ToEngineThread } from './terminal.js';

/** Young generation of the engine thread: what measured as fast as V8's default, for a fifth of the memory. */
export const ENGINE_YOUNG_GENERATION_MB = 16;

/** Exit code of a command stopped at once by a signal (a second Ctrl-C, or the first when it was not listening): 128 + its number, as a shell reports. */
const EXIT_ON_SIGNAL: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

export function engineThreadWanted(): boolean {
  return isMainThread && process.env.REMPART_ENGINE_THREAD !== '0';
}

/** How to start `entry` (this CLI's main module) on a worker: the built file itself, or the TypeScript source through tsx. */
function workerSpec(entry: string): { file: string } | { source: string } | null {
  const url = new URL(entry);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return null;
  if (!url.pathname.endsWith('.ts')) return { file: fileURLToPath(url) };
  let tsx: string;
  try {
    tsx = import.meta.resolve('tsx/esm/api');
  } catch {
    return null;
  }
  return { source: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });` };
}

/**
 * Runs the command line `argv` on the engine thread and resolves with its exit code; null when no worker could be
 * started (the caller then runs the command here).
 */
export function runOnEngineThread(argv: string[], entry: string): Promise<number> | null {
  const spec = workerSpec(entry);
  if (!spec) return null;
  let worker: Worker;
  try {
    const options = {
      argv,
      workerData: { [TERMINAL_KEY]: localTerminal() },
      resourceLimits: { maxYoungGenerationSizeMb: ENGINE_YOUNG_GENERATION_MB },
    };
    worker = 'file' in spec ? new Worker(spec.file, options) : new Worker(spec.source, { ...options, eval: true });
  } catch {
    return null;
  }
  return new Promise<number>((resolve) => {
    let listening = false;
    let interrupts = 0;
    let failure: Error | null = null;
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
      interrupts++;
      if (!listening || interrupts > 1) process.exit(EXIT_ON_SIGNAL[signal]);
      worker.postMessage({ type: 'interrupt' } satisfies ToEngineThread);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    worker.on('message', (m: FromEngineThread) => {
      if (m.type === 'interruptible') listening = m.on;
      if (m.type === 'prompt') {
        promptHidden(m.question, m.envHint).then(
          (value) => worker.postMessage({ type: 'prompt-reply', id: m.id, value } satisfies ToEngineThread),
          (err: unknown) =>
            worker.postMessage({
              type: 'prompt-reply',
              id: m.id,
              error: (err as Error)?.message ?? String(err),
              usage: err instanceof UsageError,
            } satisfies ToEngineThread),
        );
      }
    });
    // An error the command could not catch (out of memory, a crash of the thread): one plain line, exit 1.
    worker.on('error', (err) => {
      failure = err;
    });
    worker.on('exit', (code) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (failure) {
        const outOfMemory = (failure as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
        process.stderr.write(`error UNKNOWN: ${outOfMemory ? 'the command ran out of memory' : 'the command stopped unexpectedly'} (${failure.message})\n`);
        resolve(code === 0 ? 1 : code);
        return;
      }
      resolve(code);
    });
  });
}
