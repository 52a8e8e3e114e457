/**
 * Append-only run journal (journal.jsonl in dataDir), one JSON record per line, fsync'd per record so it survives crashes.
 *   {"t":"start", runId, targetId, kind, trigger, startedAt}
 *   {"t":"end", ...JournalEntryDto}
 * On open, a start without an end is a run that died (crash, kill -9, power cut): an end record with outcome
 * "interrupted" and error INTERRUPTED is appended, so it is never shown as running forever.
 * A torn last line (power cut mid-write) is ignored.
 */
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntryDto, RunTrigger, TargetKind } from '../../contract/api.js';

type StartRecord = { t: 'start'; runId: string; targetId: string; kind: TargetKind; trigger: RunTrigger; startedAt: string };
type EndRecord = { t: 'end' } & JournalEntryDto;

export function newEntry(start: Omit<StartRecord, 't'>): JournalEntryDto {
  return {
    runId: start.runId,
    targetId: start.targetId,
    kind: start.kind,
    trigger: start.trigger,
    startedAt: start.startedAt,
    endedAt: null,
    outcome: 'running',
    files: 0,
    bytesRead: 0,
    bytesStored: 0,
    snapshotId: null,
    skipped: [],
    error: null,
    verification: null,
  };
}

export class Journal {
  private readonly byId = new Map<string, JournalEntryDto>();
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  /** Opens (creating) the journal and records runs that died as interrupted. */
  static async open(dataDir: string, nowIso: () => string): Promise<Journal> {
    await mkdir(dataDir, { recursive: true });
    const path = join(dataDir, 'journal.jsonl');
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const fh = await open(path, 'a', 0o644);
    const j = new Journal(path, fh);
    if (text.length > 0 && !text.endsWith('\n')) await j.appendRaw('\n'); // close a torn line
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let rec: StartRecord | EndRecord;
      try {
        rec = JSON.parse(line);
      } catch {
        continue;
      }
      if (rec.t === 'start') j.byId.set(rec.runId, newEntry(rec));
      else if (rec.t === 'end') {
        const { t: _t, ...entry } = rec;
        j.byId.set(rec.runId, entry);
      }
    }
    for (const e of j.byId.values()) {
      if (e.outcome !== 'running') continue;
      await j.finish({
        ...e,
        outcome: 'interrupted',
        endedAt: null,
        error: { code: 'INTERRUPTED', message: `run ${e.runId} stopped without finishing (crash, kill or power cut); found at restart ${nowIso()}` },
      });
    }
    return j;
  }

  private appendRaw(text: string): Promise<void> {
    const next = this.chain.then(async () => {
      await this.fh.write(text);
      await this.fh.datasync();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async start(start: Omit<StartRecord, 't'>): Promise<JournalEntryDto> {
    const entry = newEntry(start);
    this.byId.set(entry.runId, entry);
    await this.appendRaw(JSON.stringify({ ...start, t: 'start' }) + '\n');
    return entry;
  }

  async finish(entry: JournalEntryDto): Promise<void> {
    this.byId.set(entry.runId, entry);
    await this.appendRaw(JSON.stringify({ ...entry, t: 'end' }) + '\n');
  }

  /** All entries, oldest first. */
  entries(filter?: { targetId?: string; kind?: TargetKind }): JournalEntryDto[] {
    return [...this.byId.values()]
      .filter((e) => (!filter?.targetId || e.targetId === filter.targetId) && (!filter?.kind || e.kind === filter.kind))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  async close(): Promise<void> {
    await this.chain;
    await this.fh.close();
  }
}
