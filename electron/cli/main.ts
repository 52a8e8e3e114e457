/**
 * Entry of the `rempart` command line. Kept light on purpose: the main thread only keeps the terminal and starts the
 * engine thread (engine-thread.ts), which loads the commands (commands.ts, a bundle of its own next to this one) and
 * runs the command. Loading them here too cost ~0.09 s of every command's start. Where no worker can start (or with
 * REMPART_ENGINE_THREAD=0), the commands load and run here.
 */
import { isMainThread } from 'node:worker_threads';
import { engineThreadWanted, runOnEngineThread } from './engine-thread.js';

// A reader that stops early (`rempart ls … | head`) closes the pipe: the command still finishes and keeps its exit code,
// its output goes nowhere (instead of an EPIPE stack trace). On the engine thread, output goes through this thread.
if (isMainThread) {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
}

/** commands.ts beside this module: the built bundle, or the TypeScript source when running through tsx. */
const commands = new URL(`./commands.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url).href;

const argv = process.argv.slice(2);
const here = async () => ((await import(commands)) as typeof import('./commands.js')).main(argv);
const code = (engineThreadWanted() ? await runOnEngineThread(argv, commands) : null) ?? (await here());
process.exitCode = code;
// Do not wait for stray timers (lock refresh, sockets) once the command is done.
setTimeout(() => process.exit(code), 200).unref();
