// @jsxRuntime automatic
/** Tableau de bord: one sentence for the shop, the two copies, the big button, a drill proposal, the recent history. */
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useT } from '../../i18n/use-t.js';
import { withBothCopies } from '../../lib/status-text.js';
import { useStore } from '../../store/index.js';
import { JournalList } from '../history/JournalList.js';
import { useTargetLabels } from '../history/clock.js';
import { BackupNow } from './BackupNow.js';
import { DrillPanel } from './DrillPanel.js';
import { OverallBanner } from './OverallBanner.js';
import { TargetCard } from './TargetCard.js';

const RECENT = 5;

export function Dashboard() {
  const tr = useT();
  const status = useStore((s) => s.status);
  const history = useStore((s) => s.history);
  const statusError = useStore((s) => s.statusError);
  const statusRequested = useStore((s) => s.statusRequested);
  const navigated = useStore((s) => s.navigated);
  const labels = useTargetLabels();
  if (!status && statusError) {
    return (
      <div className="screen">
        <ErrorMessage error={statusError} />
        <button type="button" className="button-secondary" onClick={() => void statusRequested()}>{tr.t('common.retry')}</button>
      </div>
    );
  }
  if (!status) return <p className="loading">{tr.t('app.loading')}</p>;
  const targets = withBothCopies(status);
  const drillTarget = targets.find((t) => t.drillDue && t.state === 'ok');
  return (
    <div className="screen dashboard">
      <OverallBanner status={status} />
      <BackupNow status={status} />
      <div className="cards">
        {targets.map((t) => (
          <TargetCard key={t.id} target={t} now={status.now} timeZone={status.timeZone} />
        ))}
      </div>
      {drillTarget && <DrillPanel target={drillTarget} />}
      <section aria-labelledby="recent-title" className="recent">
        <div className="section-head">
          <h2 id="recent-title">{tr.t('history.recent')}</h2>
          <button type="button" className="button-link" onClick={() => navigated('history')}>
            {tr.t('history.seeAll')}
          </button>
        </div>
        <JournalList entries={history.slice(0, RECENT)} now={status.now} timeZone={status.timeZone} labels={labels} />
      </section>
    </div>
  );
}
