// @jsxRuntime automatic
/** Historique: the journal, filterable by copy, with plain-language errors and skipped files. */
import type { TargetKind } from '../../../electron/contract/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Segmented } from '../../components/Segmented.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';
import { useClock, useTargetLabels } from './clock.js';
import { AlertList } from './AlertList.js';
import { JournalList } from './JournalList.js';

const FILTERS: (TargetKind | 'all')[] = ['all', 'usb', 'cloud'];

export function History() {
  const tr = useT();
  const history = useStore((s) => s.history);
  const filter = useStore((s) => s.historyFilter);
  const error = useStore((s) => s.historyError);
  const alerts = useStore((s) => s.alerts);
  const historyRequested = useStore((s) => s.historyRequested);
  const { now, timeZone } = useClock();
  const labels = useTargetLabels();
  return (
    <section className="screen" aria-labelledby="history-title">
      <h1 id="history-title">{tr.t('history.title')}</h1>
      <Segmented
        label={tr.t('history.filter')}
        value={filter}
        onChange={(f) => void historyRequested(f)}
        options={FILTERS.map((f) => ({ value: f, label: f === 'all' ? tr.t('history.filter.all') : tr.t(f === 'usb' ? 'common.usb' : 'common.cloud') }))}
      />
      {error && <ErrorMessage error={error} />}
      <JournalList entries={history} now={now} timeZone={timeZone} labels={labels} />
      <AlertList alerts={alerts} now={now} timeZone={timeZone} />
    </section>
  );
}
