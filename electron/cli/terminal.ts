/**
 * What a CLI command needs from its terminal, wherever it runs. On the main thread: the process's own stdin, stderr and
 * signals. On the engine thread (engine-thread.ts): the main thread keeps the terminal and relays it through messages:
 * Ctrl-C / SIGTERM become `interrupt` messages, a hidden prompt is asked by the main thread, and whether stderr is a
 * terminal (and its width) travels in workerData. Output itself needs nothing: a worker's stdout and stderr are piped to
 * the process's.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { UsageError } from './args.js';

export interface TerminalInfo {
  stderrIsTTY: boolean;
  columns: number | undefined;
}

/** Main thread → engine thread. */
export type ToEngineThread = { type: 'interrupt' } | { type: 'prompt-reply'; id: number; value?: string; error?: string; usage?: boolean };

/** Engine thread → main thread. */
export type FromEngineThread = { type: 'prompt'; id: number; question: string; envHint: string } | { type: 'interruptible'; on: boolean };

/** The workerData key under which the main thread describes its terminal. */
export const TERMINAL_KEY = 'rempartTerminal';

const relayedInfo: TerminalInfo | null = !isMainThread
  ? ((workerData as Record<string, TerminalInfo> | null)?.[TERMINAL_KEY] ?? null)
  : null;
const port = relayedInfo ? parentPort : null;

/** This process's terminal, as the main thread sees it (handed to the engine thread). */
export function localTerminal(): TerminalInfo {
  return { stderrIsTTY: Boolean(process.stderr.isTTY), columns: process.stderr.columns };
}

export function stderrIsTTY(): boolean {
  return relayedInfo ? relayedInfo.stderrIsTTY : Boolean(process.stderr.isTTY);
}

export function terminalColumns(): number {
  return (relayedInfo ? relayedInfo.columns : process.stderr.columns) ?? 80;
}

const interruptHandlers = new Set<() => void>();

function onPortMessage(m: ToEngineThread): void {
  if (m.type === 'interrupt') for (const h of [...interruptHandlers]) h();
}

/**
 * Calls `handler` on each Ctrl-C or SIGTERM until the returned function is called. While no handler is registered, the
 * first Ctrl-C stops the command at once (the default of a process).
 */
export function onInterrupt(handler: () => void): () => void {
  if (!port) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  }
  if (interruptHandlers.size === 0) {
    port.on('message', onPortMessage);
    port.postMessage({ type: 'interruptible', on: true } satisfies FromEngineThread);
  }
  interruptHandlers.add(handler);
  return () => {
    if (!interruptHandlers.delete(handler) || interruptHandlers.size > 0) return;
    port.off('message', onPortMessage); // a listener keeps the thread alive: only while a command listens
    port.postMessage({ type: 'interruptible', on: false } satisfies FromEngineThread);
  };
}

let nextPrompt = 1;

/** Reads a line without echoing it, on stderr's terminal; `envHint` names the variables that avoid the question. */
export async function promptHidden(question: string, envHint: string): Promise<string> {
  if (port) return promptThroughMainThread(port, question, envHint);
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UsageError(`no secret given and no terminal to ask on: set ${envHint}`);
  // echo off before the question shows: whoever answers as soon as it appears is never echoed
  stdin.setRawMode(true);
  process.stderr.write(question);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

function promptThroughMainThread(p: NonNullable<typeof parentPort>, question: string, envHint: string): Promise<string> {
  const id = nextPrompt++;
  return new Promise((resolve, reject) => {
    const onReply = (m: ToEngineThread) => {
      if (m.type !== 'prompt-reply' || m.id !== id) return;
      p.off('message', onReply);
      if (m.value !== undefined) resolve(m.value);
      else reject(m.usage ? new UsageError(m.error ?? 'cancelled') : new Error(m.error ?? 'the terminal could not be read'));
    };
    p.on('message', onReply);
    p.postMessage({ type: 'prompt', id, question, envHint } satisfies FromEngineThread);
  });
}
