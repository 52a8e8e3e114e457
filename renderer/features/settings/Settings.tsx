// @jsxRuntime automatic
/** Réglages: general, folders, each copy, alerts, passphrase, monthly report. Each section saves on its own. */
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';
import { AlertsSection } from './AlertsSection.js';
import { CloudPasswordForm } from './CloudPasswordForm.js';
import { CopySection } from './CopySection.js';
import { FoldersSection } from './FoldersSection.js';
import { GeneralSection } from './GeneralSection.js';
import { PassphraseSection } from './PassphraseSection.js';
import { ReportSection } from './ReportSection.js';

export function Settings() {
  const tr = useT();
  const settings = useStore((s) => s.settings);
  if (!settings) return <p className="loading">{tr.t('app.loading')}</p>;
  return (
    <div className="screen settings">
      <h1>{tr.t('settings.title')}</h1>
      <GeneralSection settings={settings} />
      <FoldersSection settings={settings} />
      {settings.usb && <CopySection kind="usb" target={settings.usb} />}
      {settings.cloud && (
        <>
          <CopySection kind="cloud" target={settings.cloud} />
          <CloudPasswordForm />
        </>
      )}
      <AlertsSection alerts={settings.alerts} />
      <PassphraseSection />
      <ReportSection />
    </div>
  );
}
