/**
 * Sentences built from the status facts: the one-line summary for the whole shop and, per copy, what is wrong and what to do.
 * Pure functions of (status, translator) so they are tested without rendering.
 */
import type { StatusDto, TargetStatusDto } from '../../electron/contract/api.js';
import { formatDayTime } from '../../locales/index.js';
import type { Translator } from '../i18n/use-t.js';
import { hostOf } from './webdav-url.js';

export interface Problem {
  sentence: string;
  action: string;
  technical?: string;
}

export function copyName(tr: Translator, target: Pick<TargetStatusDto, 'kind'>, lower = false): string {
  if (target.kind === 'usb') return tr.t(lower ? 'common.usbLower' : 'common.usb');
  return tr.t(lower ? 'common.cloudLower' : 'common.cloud');
}

/** Values every plain sentence may use: drive label, server host. */
export function targetVars(target: TargetStatusDto): Record<string, string> {
  return { label: target.label, host: target.kind === 'cloud' ? hostOf(target.label) : target.label };
}

export function headline(status: StatusDto, tr: Translator): string {
  const configured = status.targets.filter((t) => t.state !== 'unconfigured');
  const healthy = (t: TargetStatusDto) => t.state === 'ok' || t.state === 'running';
  switch (status.overall) {
    case 'green':
      return tr.t('overall.green');
    case 'running':
      return tr.t('overall.running');
    case 'setup':
      return tr.t('overall.setup');
    case 'red':
      return tr.t('overall.red');
    case 'orange':
      if (configured.length > 1 && configured.every((t) => !healthy(t))) return tr.t('overall.bothWrong');
      if (configured.length === 1 && healthy(configured[0])) return tr.t('overall.oneCopyOnly');
      return tr.t('overall.orange');
  }
}

/** « Dernière copie : clé USB hier à 19 h 32, cloud aujourd'hui à 19 h 34. » */
export function lastCopiesSentence(status: StatusDto, tr: Translator): string {
  const done = status.targets.filter((t) => t.lastSuccessAt);
  if (done.length === 0) return status.configured ? tr.t('overall.noCopyYet') : '';
  const list = done
    .map((t) => tr.t('overall.lastCopy', { copy: copyName(tr, t, true), when: formatDayTime(t.lastSuccessAt!, status.now, tr.lang, status.timeZone) }))
    .join(', ');
  return tr.t('overall.lastCopies', { list });
}

/** What is wrong with one copy and the exact action to take, or null when all is well. */
export function targetProblem(target: TargetStatusDto, tr: Translator): Problem | null {
  const vars = targetVars(target);
  const fromError = (): Problem | null => {
    if (!target.error) return null;
    const text = tr.err(target.error, vars);
    return { ...text, technical: target.error.message };
  };
  switch (target.state) {
    case 'ok':
    case 'running':
      return null;
    case 'failed':
      return fromError() ?? { ...tr.err({ code: 'UNKNOWN', message: '' }, vars) };
    case 'absent':
      return { sentence: tr.err({ code: 'DRIVE_NOT_PLUGGED', message: '' }, vars).sentence, action: tr.t('card.absentAction', vars) };
    case 'stale': {
      const base = fromError();
      if (base) return base;
      return { sentence: tr.t('card.staleSentence', { hours: target.staleAfterHours }), action: tr.t('card.staleAction') };
    }
    case 'never':
      return fromError() ?? { sentence: tr.t('card.neverSentence'), action: tr.t('card.neverAction') };
    case 'unconfigured':
      return { sentence: tr.t('card.unconfiguredSentence'), action: tr.t('card.unconfiguredAction') };
  }
}

/** Both copies, in a fixed order; a copy the host does not report is shown as not in place. */
export function withBothCopies(status: StatusDto): TargetStatusDto[] {
  return (['usb', 'cloud'] as const).map(
    (kind) =>
      status.targets.find((t) => t.kind === kind) ?? {
        id: `missing-${kind}`, kind, label: '', state: 'unconfigured', lastSuccessAt: null, lastRunAt: null, nextRunAt: null,
        staleAfterHours: 0, lastVerification: null, lastDrill: null, error: null, progress: null, snapshotCount: 0,
        freeBytes: null, available: false, drillDue: false,
      },
  );
}

export type Tone = 'ok' | 'warn' | 'bad' | 'busy' | 'idle';

export function toneOfState(state: TargetStatusDto['state']): Tone {
  if (state === 'ok') return 'ok';
  if (state === 'running') return 'busy';
  if (state === 'failed') return 'bad';
  if (state === 'unconfigured') return 'idle';
  return 'warn';
}

export function toneOfOverall(level: StatusDto['overall']): Tone {
  return ({ green: 'ok', orange: 'warn', red: 'bad', running: 'busy', setup: 'idle' } as const)[level];
}
