// @jsxRuntime automatic
/** One copy (Clé USB or Cloud): its state, the age of its last good copy, next run, last check, and what to do when wrong. */
import type { TargetStatusDto } from '../../../electron/contract/api.js';
import { formatAge, formatBytes, formatDayTime, formatNumber } from '../../../locales/index.js';
import { ProblemText } from '../../components/ErrorMessage.js';
import { StatusIcon } from '../../components/StatusIcon.js';
import { useT } from '../../i18n/use-t.js';
import { copyName, targetProblem, toneOfState } from '../../lib/status-text.js';
import { useStore } from '../../store/index.js';
import { RunProgress } from './RunProgress.js';

export function TargetCard({ target, now, timeZone }: { target: TargetStatusDto; now: string; timeZone: string }) {
  const tr = useT();
  const backupRequested = useStore((s) => s.backupRequested);
  const navigated = useStore((s) => s.navigated);
  const tone = toneOfState(target.state);
  const problem = targetProblem(target, tr);
  const when = (iso: string) => formatDayTime(iso, now, tr.lang, timeZone);
  const title = copyName(tr, target);
  const titleId = `card-${target.kind}-title`;
  const check = target.lastVerification;
  const running = target.state === 'running';

  return (
    <article className={`card tone-${tone}`} aria-labelledby={titleId} data-testid={`card-${target.kind}`} data-state={target.state}>
      <header className="card-head">
        <div>
          <h2 id={titleId} className="card-title">{title}</h2>
          {target.label && <p className="card-subtitle">{target.kind === 'usb' ? tr.t('card.driveLabel', { label: target.label }) : target.label}</p>}
        </div>
        <span className={`pill tone-${tone}`}>
          <StatusIcon tone={tone} size={18} />
          {tr.t(`state.${target.state}`)}
        </span>
      </header>

      {problem && (
        <div className={`card-problem tone-${tone}`}>
          <ProblemText {...problem} />
        </div>
      )}

      {running && target.progress && <RunProgress progress={target.progress} copy={copyName(tr, target, true)} />}

      <dl className="facts">
        <div>
          <dt>{tr.t('card.lastGood')}</dt>
          <dd>
            {target.lastSuccessAt
              ? tr.t('card.lastGoodValue', { age: formatAge(target.lastSuccessAt, now, tr.lang), when: when(target.lastSuccessAt) })
              : tr.t('common.never')}
          </dd>
        </div>
        {target.state !== 'unconfigured' && (
          <div>
            <dt>{tr.t('card.nextRun')}</dt>
            <dd>{target.nextRunAt ? when(target.nextRunAt) : target.kind === 'usb' && !target.available ? tr.t('card.nextRunOnPlug') : '—'}</dd>
          </div>
        )}
        <div>
          <dt>{tr.t('card.lastCheck')}</dt>
          <dd>{check ? tr.t(check.ok ? 'card.checkOk' : 'card.checkFailed', { when: when(check.at) }) : tr.t('common.never')}</dd>
        </div>
        {target.snapshotCount > 0 && (
          <div>
            <dt>{tr.t('card.points')}</dt>
            <dd>{formatNumber(target.snapshotCount, tr.lang)}</dd>
          </div>
        )}
        {target.freeBytes !== null && target.state !== 'absent' && (
          <div>
            <dt>{tr.t('card.free')}</dt>
            <dd>{formatBytes(target.freeBytes, tr.lang)}</dd>
          </div>
        )}
      </dl>

      <div className="card-actions">
        {!running && target.state !== 'unconfigured' && (
          <button type="button" className="button-secondary" onClick={() => void backupRequested(target.kind)}>
            {tr.t('card.backupThis')}
          </button>
        )}
        {target.state === 'failed' && (
          <button type="button" className="button-link" onClick={() => navigated('settings')}>
            {tr.t('card.openSettings')}
          </button>
        )}
      </div>
    </article>
  );
}
