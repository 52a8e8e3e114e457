import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, appendFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEntryDto } from '../../contract/api.js';
import { Journal } from './journal.js';
import { overallLevel, targetStatus, type TargetFacts } from './status-model.js';

const now = () => '2026-11-24T10:00:00.000Z';

test('a start without an end is recorded as interrupted on reopen; a torn line is ignored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-journal-'));
  try {
    const j = await Journal.open(dir, now);
    const e = await j.start({ runId: 'r1', targetId: 'usb', kind: 'usb', trigger: 'schedule', startedAt: '2026-11-23T18:30:00.000Z' });
    await j.finish({ ...e, outcome: 'success', endedAt: '2026-11-23T18:31:00.000Z', files: 3 });
    await j.start({ runId: 'r2', targetId: 'cloud', kind: 'cloud', trigger: 'manual', startedAt: '2026-11-23T18:40:00.000Z' });
    await j.close(); // the process "dies" here: no end for r2
    await appendFile(join(dir, 'journal.jsonl'), '{"t":"end","runId":"r3"'); // torn write
    const j2 = await Journal.open(dir, now);
    const entries = j2.entries();
    assert.equal(entries.length, 2);
    assert.equal(entries[0].outcome, 'success');
    assert.equal(entries[1].outcome, 'interrupted');
    assert.equal(entries[1].error?.code, 'INTERRUPTED');
    await j2.close();
    const j3 = await Journal.open(dir, now); // the interruption was persisted, not recomputed
    assert.equal(j3.entries({ kind: 'cloud' })[0].outcome, 'interrupted');
    await j3.close();
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(lines.filter((l) => l.includes('"interrupted"')).length, 1, lines.join("\n"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const H = 3_600_000;
const T0 = Date.parse('2026-11-24T10:00:00Z');
function run(kind: 'usb' | 'cloud', hoursAgo: number, outcome: JournalEntryDto['outcome'], verified = true): JournalEntryDto {
  const at = new Date(T0 - hoursAgo * H).toISOString();
  return {
    runId: `${kind}-${hoursAgo}`, targetId: kind, kind, trigger: 'schedule', startedAt: at, endedAt: at, outcome, files: 1, bytesRead: 1,
    bytesStored: 1, snapshotId: 's', skipped: [], error: outcome === 'failed' ? { code: 'NETWORK_UNREACHABLE', message: 'x' } : null,
    verification: outcome === 'success' ? { at, kind: 'after-run', ok: verified } : null,
  };
}
function facts(kind: 'usb' | 'cloud', entries: JournalEntryDto[], extra: Partial<TargetFacts> = {}): TargetFacts {
  return {
    id: kind, kind, label: kind, configured: true, staleAfterHours: kind === 'usb' ? 72 : 26, drillIntervalDays: 30, entries,
    running: false, progress: null, available: true, nextRunAt: null, snapshotCount: 1, freeBytes: null, now: T0, ...extra,
  };
}

test('target states and the overall level follow the journal', () => {
  const cloudOk = targetStatus(facts('cloud', [run('cloud', 2, 'success')]));
  const usbOk = targetStatus(facts('usb', [run('usb', 30, 'success')]));
  assert.equal(cloudOk.state, 'ok');
  assert.equal(usbOk.state, 'ok');
  assert.equal(overallLevel(true, [cloudOk, usbOk]), 'green');
  assert.equal(cloudOk.drillDue, false);
  assert.equal(targetStatus(facts('cloud', [run('cloud', 31 * 24, 'success'), run('cloud', 2, 'success')])).drillDue, true);

  const cloudStale = targetStatus(facts('cloud', [run('cloud', 27, 'success')]));
  assert.equal(cloudStale.state, 'stale');
  assert.equal(overallLevel(true, [cloudStale, usbOk]), 'orange');

  const cloudFailed = targetStatus(facts('cloud', [run('cloud', 27, 'success'), run('cloud', 1, 'failed')]));
  assert.equal(cloudFailed.state, 'failed');
  assert.equal(cloudFailed.error?.code, 'NETWORK_UNREACHABLE');
  assert.equal(overallLevel(true, [cloudFailed, usbOk]), 'red');

  const usbAbsent = targetStatus(facts('usb', [run('usb', 80, 'success')], { available: false }));
  assert.equal(usbAbsent.state, 'absent');
  const usbAwayButFresh = targetStatus(facts('usb', [run('usb', 10, 'success')], { available: false }));
  assert.equal(usbAwayButFresh.state, 'ok');

  assert.equal(targetStatus(facts('usb', [])).state, 'never');
  const unverified = targetStatus(facts('cloud', [run('cloud', 1, 'success', false)]));
  assert.equal(overallLevel(true, [unverified, usbOk]), 'orange');
  assert.equal(targetStatus(facts('usb', [], { running: true })).state, 'running');
  assert.equal(overallLevel(false, []), 'setup');
});
