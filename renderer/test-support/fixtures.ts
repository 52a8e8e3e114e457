/** Status and journal values for component tests (plain data shaped by the contract). */
import type { JournalEntryDto, OverallLevel, StatusDto, TargetStatusDto } from '../../electron/contract/api.js';

export const NOW = '2026-11-24T18:40:00.000Z'; // 19 h 40 in Paris

export function target(kind: 'usb' | 'cloud', over: Partial<TargetStatusDto> = {}): TargetStatusDto {
  return {
    id: `${kind}-1`,
    kind,
    label: kind === 'usb' ? 'Sauvegarde Boutique' : 'cloud.exemple.fr',
    state: 'ok',
    lastSuccessAt: kind === 'usb' ? '2026-11-23T18:32:00.000Z' : '2026-11-24T18:34:00.000Z',
    lastRunAt: null,
    nextRunAt: '2026-11-24T19:30:00.000Z',
    staleAfterHours: 36,
    lastVerification: { at: '2026-11-24T18:35:00.000Z', kind: 'after-run', ok: true },
    lastDrill: null,
    error: null,
    progress: null,
    snapshotCount: 12,
    freeBytes: 48_300_000_000,
    available: true,
    drillDue: false,
    ...over,
  };
}

export function status(overall: OverallLevel, targets: TargetStatusDto[]): StatusDto {
  return { now: NOW, timeZone: 'Europe/Paris', configured: true, overall, targets };
}

export function journalEntry(over: Partial<JournalEntryDto> = {}): JournalEntryDto {
  return {
    runId: `run-${Math.random().toString(36).slice(2)}`,
    targetId: 'usb-1',
    kind: 'usb',
    trigger: 'schedule',
    startedAt: '2026-11-24T17:00:00.000Z',
    endedAt: '2026-11-24T17:01:00.000Z',
    outcome: 'success',
    files: 120,
    bytesRead: 5_000_000,
    bytesStored: 100_000,
    snapshotId: 'abc',
    skipped: [],
    error: null,
    verification: null,
    ...over,
  };
}
