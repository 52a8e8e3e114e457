/**
 * CLI output: a one-line progress bar on a terminal (stderr), one JSON object per line with --json (stdout),
 * nothing in between when stdout is a pipe without --json (scripts read the final summary).
 */
import { stderrIsTTY, terminalColumns } from './terminal.js';

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

export interface BarState {
  label: string;
  done: number;
  total: number | null;
  /** Bytes, for the text part. */
  bytesDone?: number;
  bytesTotal?: number | null;
  rate?: number;
  eta?: number | null;
  current?: string | null;
}

export class Output {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    readonly json: boolean,
    private readonly tty = stderrIsTTY(),
  ) {}

  /** One JSON line (with --json). */
  event(obj: Record<string, unknown>): void {
    if (this.json) process.stdout.write(`${JSON.stringify(obj)}\n`);
  }

  /** Human text on stdout (without --json). */
  line(text: string): void {
    if (this.json) return;
    this.clearBar();
    process.stdout.write(`${text}\n`);
  }

  /** A message for humans on stderr, whatever the mode. */
  note(text: string): void {
    this.clearBar();
    process.stderr.write(`${text}\n`);
  }

  bar(s: BarState, force = false): void {
    if (this.json || !this.tty) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = Math.max(40, terminalColumns());
    const frac = s.total ? Math.min(1, s.done / s.total) : 0;
    const barLen = 20;
    const filled = Math.round(frac * barLen);
    const bar = s.total ? `[${'#'.repeat(filled)}${'-'.repeat(barLen - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%` : '';
    const bytes =
      s.bytesDone !== undefined ? ` ${formatBytes(s.bytesDone)}${s.bytesTotal ? `/${formatBytes(s.bytesTotal)}` : ''}` : '';
    const rate = s.rate ? ` ${formatBytes(s.rate)}/s` : '';
    const eta = s.eta != null ? ` ETA ${formatDuration(s.eta)}` : '';
    let text = `${s.label} ${bar}${bytes}${rate}${eta}`;
    if (s.current) text += ` ${s.current}`;
    if (text.length > width - 1) text = `${text.slice(0, width - 2)}…`;
    process.stderr.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  }

  clearBar(): void {
    if (this.drawn) {
      process.stderr.write('\r\x1b[2K');
      this.drawn = false;
    }
  }
}
