// @jsxRuntime automatic
/** The alerts Rempart sent (notifications, e-mails): when, and their text as the user received it. */
import type { AlertDto } from '../../../electron/contract/api.js';
import { formatDayTime } from '../../../locales/index.js';
import { StatusIcon } from '../../components/StatusIcon.js';
import { useT } from '../../i18n/use-t.js';
import type { Tone } from '../../lib/status-text.js';

const TONE: Record<AlertDto['reason'], Tone> = { failure: 'bad', stale: 'warn', recovered: 'ok', 'drill-due': 'busy', 'drive-safe-to-remove': 'ok', test: 'idle' };

export function AlertList({ alerts, now, timeZone }: { alerts: AlertDto[]; now: string; timeZone: string }) {
  const tr = useT();
  if (alerts.length === 0) return null;
  return (
    <section className="recent alerts" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{tr.t('history.alerts')}</h2>
      <ul className="journal">
        {alerts.map((a) => (
          <li key={`${a.at}-${a.title}`} className="journal-entry">
            <div className="alert-line">
              <StatusIcon tone={TONE[a.reason]} size={20} />
              <span className="journal-when">{formatDayTime(a.at, now, tr.lang, timeZone)}</span>
              <strong>{a.title}</strong>
            </div>
            <p className="alert-body">{a.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
