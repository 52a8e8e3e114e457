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
  const sections = [
    { id: 'settings-general', key: 'settings.general' as const },
    { id: 'settings-folders', key: 'settings.folders' as const },
    ...(settings.usb ? [{ id: 'settings-usb', key: 'settings.usb' as const }] : []),
    ...(settings.cloud ? [{ id: 'settings-cloud', key: 'settings.cloud' as const }] : []),
    { id: 'settings-alerts', key: 'settings.alerts' as const },
    { id: 'settings-passphrase', key: 'settings.passphrase' as const },
    { id: 'settings-report', key: 'settings.report' as const },
  ];
  const jump = (id: string) => {
    const heading = document.getElementById(id);
    if (!heading) return;
    heading.tabIndex = -1;
    heading.scrollIntoView({ block: 'start', behavior: 'smooth' });
    heading.focus({ preventScroll: true });
  };
  return (
    <div className="screen settings-layout">
      <nav className="settings-nav" aria-label={tr.t('settings.sections')}>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <button type="button" className="button-link" onClick={() => jump(s.id)}>{tr.t(s.key)}</button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings">
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
    </div>
  );
}
