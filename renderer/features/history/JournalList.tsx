// @jsxRuntime automatic
/** Journal entries in plain words: when, which copy, result, files, data, and the error or skipped files when any. */
import type { JournalEntryDto, RunOutcome } from '../../../electron/contract/api.js';
import { formatBytes, formatDayTime, formatNumber } from '../../../locales/index.js';
import { ProblemText } from '../../components/ErrorMessage.js';
import { StatusIcon } from '../../components/StatusIcon.js';
import { useT } from '../../i18n/use-t.js';
import type { Tone } from '../../lib/status-text.js';
import { copyName } from '../../lib/status-text.js';

const TONE: Record<RunOutcome, Tone> = { success: 'ok', partial: 'warn', failed: 'bad', cancelled: 'idle', interrupted: 'warn', running: 'busy' };

export function JournalList({ entries, now, timeZone, labels }: { entries: JournalEntryDto[]; now: string; timeZone: string; labels: Record<string, string> }) {
  const tr = useT();
  if (entries.length === 0) return <p className="empty">{tr.t('history.empty')}</p>;
  return (
    <ul className="journal" data-testid="journal">
      {entries.map((e) => {
        const tone = TONE[e.outcome];
        const label = labels[e.targetId] ?? '';
        const problem = e.error ? tr.err(e.error, { label, host: label }) : null;
        return (
          <li key={e.runId} className={`journal-entry tone-${tone}`}>
            <div className="journal-main">
              <StatusIcon tone={tone} size={20} />
              <span className="journal-when">{formatDayTime(e.startedAt, now, tr.lang, timeZone)}</span>
              <span className="journal-copy">{copyName(tr, e)}</span>
              <span className="journal-result">
                {tr.t(`history.outcome.${e.outcome}`)} <span className="muted">({tr.t(`history.trigger.${e.trigger}`)})</span>
              </span>
              <span className="journal-files">{e.files > 0 ? tr.tn('common.files', e.files) : '—'}</span>
              <span className="journal-size">{e.bytesRead > 0 ? formatBytes(e.bytesRead, tr.lang) : '—'}</span>
            </div>
            {e.verification && !e.verification.ok && <p className="journal-note tone-bad">{tr.t('history.verifyFailed')}</p>}
            {problem && e.error && <ProblemText sentence={problem.sentence} action={problem.action} technical={e.error.message} />}
            {e.skipped.length > 0 && (
              <details className="journal-skipped">
                <summary>{tr.tn('history.skipped', e.skipped.length)}</summary>
                <ul>
                  {e.skipped.slice(0, 200).map((s) => (
                    <li key={s.path}>
                      <code>{s.path}</code> <span className="muted">{s.reason}</span>
                    </li>
                  ))}
                </ul>
                {e.skipped.length > 200 && <p className="muted">… {formatNumber(e.skipped.length - 200, tr.lang)}</p>}
              </details>
            )}
          </li>
        );
      })}
    </ul>
  );
}
