// @jsxRuntime automatic
/** One sentence and a colour for the whole shop. */
import type { StatusDto } from '../../../electron/contract/api.js';
import { StatusIcon } from '../../components/StatusIcon.js';
import { useT } from '../../i18n/use-t.js';
import { headline, lastCopiesSentence, toneOfOverall } from '../../lib/status-text.js';

export function OverallBanner({ status }: { status: StatusDto }) {
  const tr = useT();
  const tone = toneOfOverall(status.overall);
  const detail = lastCopiesSentence(status, tr);
  return (
    <section className={`banner tone-${tone}`} role="status" aria-live="polite" data-testid="overall">
      <StatusIcon tone={tone} size={44} />
      <div>
        <h1 className="banner-title">{headline(status, tr)}</h1>
        {detail && <p className="banner-detail">{detail}</p>}
      </div>
    </section>
  );
}
