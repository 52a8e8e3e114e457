// @jsxRuntime automatic
/** Shows an alert pushed while the window is open (in browser mode there is no desktop notification). */
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';

export function AlertToast() {
  const tr = useT();
  const alert = useStore((s) => s.freshAlert);
  const alertDismissed = useStore((s) => s.alertDismissed);
  if (!alert) return null;
  const tone = alert.reason === 'failure' ? 'bad' : alert.reason === 'stale' ? 'warn' : alert.reason === 'recovered' ? 'ok' : 'info';
  return (
    <div className={`alert-toast notice notice-${tone}`} role="status" data-testid="alert-toast">
      <div>
        <strong>{alert.title}</strong>
        <p>{alert.body}</p>
      </div>
      <button type="button" className="button-link" onClick={alertDismissed}>
        {tr.t('common.close')}
      </button>
    </div>
  );
}
