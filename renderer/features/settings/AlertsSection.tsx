// @jsxRuntime automatic
/** Alerts: desktop notifications and e-mail (with « Envoyer un test »). Ping URLs live with each copy. */
import { useState } from 'react';
import type { AlertSettingsDto } from '../../../electron/contract/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Checkbox, Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { api } from '../../store/client-ref.js';
import { NumberField, parseWhole } from './NumberField.js';
import { SectionFooter } from './SectionFooter.js';
import { useSaver } from './use-saver.js';

type Email = NonNullable<AlertSettingsDto['email']>;
const EMPTY: Email = { to: '', from: '', host: '', port: 587, secure: false };

export function AlertsSection({ alerts }: { alerts: AlertSettingsDto }) {
  const tr = useT();
  const saver = useSaver();
  const tester = useSaver();
  const [notifications, setNotifications] = useState(alerts.desktopNotifications);
  const [useEmail, setUseEmail] = useState(Boolean(alerts.email));
  const [email, setEmail] = useState<Email>(alerts.email ?? EMPTY);
  const [port, setPort] = useState(String((alerts.email ?? EMPTY).port));
  const portNumber = parseWhole(port);
  const emailInvalid = useEmail && (!email.to.includes('@') || !email.from.includes('@') || !email.host.trim() || !portNumber);
  const change = (p: Partial<Email>) => setEmail({ ...email, ...p });

  return (
    <form
      className="settings-section"
      aria-labelledby="settings-alerts"
      onSubmit={(e) => {
        e.preventDefault();
        if (emailInvalid) return;
        void saver.save({ alerts: { desktopNotifications: notifications, email: useEmail ? { ...email, port: portNumber ?? 587, username: email.username || undefined } : undefined } });
      }}
    >
      <h2 id="settings-alerts">{tr.t('settings.alerts')}</h2>
      <Checkbox label={tr.t('settings.notifications')} checked={notifications} onChecked={setNotifications} />
      <Checkbox label={tr.t('settings.email')} checked={useEmail} onChecked={setUseEmail} />
      {useEmail && (
        <div className="form-grid">
          <Field label={tr.t('settings.email.to')} type="email" value={email.to} onValue={(to) => change({ to })} />
          <Field label={tr.t('settings.email.from')} type="email" value={email.from} onValue={(from) => change({ from })} />
          <Field label={tr.t('settings.email.host')} value={email.host} onValue={(host) => change({ host })} spellCheck={false} />
          <NumberField label={tr.t('settings.email.port')} value={port} onValue={setPort} />
          <Field label={tr.t('settings.email.user')} value={email.username ?? ''} onValue={(username) => change({ username })} spellCheck={false} />
          <Checkbox label={tr.t('settings.email.secure')} checked={email.secure} onChecked={(secure) => change({ secure })} />
        </div>
      )}
      <SectionFooter {...saver} disabled={emailInvalid} />
      {useEmail && alerts.email && (
        <div className="section-footer">
          <button type="button" className="button-secondary" disabled={tester.busy} onClick={() => void tester.run(() => api().sendTestEmail())}>
            {tr.t('settings.email.test')}
          </button>
          <span aria-live="polite" className="saved">{tester.saved ? tr.t('settings.email.testSent') : ''}</span>
        </div>
      )}
      {tester.error && <ErrorMessage error={tester.error} />}
    </form>
  );
}

