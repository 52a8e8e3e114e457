// @jsxRuntime automatic
/** The window: a header with the main navigation, then the current screen. The setup wizard takes the whole window. */
import { useEffect, useRef } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useT } from '../../i18n/use-t.js';
import { useStore, type Screen } from '../../store/index.js';
import { AlertToast } from './AlertToast.js';
import { Dashboard } from '../dashboard/Dashboard.js';
import { History } from '../history/History.js';
import { RestoreWizard } from '../restore/RestoreWizard.js';
import { Settings } from '../settings/Settings.js';
import { SetupWizard } from '../setup/SetupWizard.js';

const NAV: { screen: Screen; key: 'nav.dashboard' | 'nav.restore' | 'nav.history' | 'nav.settings' }[] = [
  { screen: 'dashboard', key: 'nav.dashboard' },
  { screen: 'restore', key: 'nav.restore' },
  { screen: 'history', key: 'nav.history' },
  { screen: 'settings', key: 'nav.settings' },
];

function CurrentScreen({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'dashboard':
      return <Dashboard />;
    case 'history':
      return <History />;
    case 'settings':
      return <Settings />;
    case 'restore':
      return <RestoreWizard />;
    case 'setup':
      return <SetupWizard />;
  }
}

export function App() {
  const tr = useT();
  const screen = useStore((s) => s.screen);
  const booted = useStore((s) => s.booted);
  const bootError = useStore((s) => s.bootError);
  const connected = useStore((s) => s.connected);
  const navigated = useStore((s) => s.navigated);
  // null = never set up (first run or a new computer): only the setup and the restore wizard make sense.
  const configured = useStore((s) => s.settings !== null);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    document.documentElement.lang = tr.lang;
  }, [tr.lang]);
  // Move focus to the new screen so keyboard and screen-reader users land at its start.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [screen]);

  return (
    <div className="app">
      {screen !== 'setup' && !configured && (
        <header className="app-header">
          <span className="app-name">
            <span className="app-logo" aria-hidden="true" />
            {tr.t('app.name')}
          </span>
          <button type="button" className="button-secondary" onClick={() => navigated('setup')}>
            {tr.t('setup.backToSetup')}
          </button>
        </header>
      )}
      {screen !== 'setup' && configured && (
        <header className="app-header">
          <span className="app-name">
            <span className="app-logo" aria-hidden="true" />
            {tr.t('app.name')}
          </span>
          <nav aria-label={tr.t('nav.label')}>
            <ul>
              {NAV.map((n) => (
                <li key={n.screen}>
                  <button type="button" className={screen === n.screen ? 'nav-current' : ''} aria-current={screen === n.screen ? 'page' : undefined} onClick={() => navigated(n.screen)}>
                    {tr.t(n.key)}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        </header>
      )}
      {!connected && (
        <p className="connection-lost" role="alert">
          {tr.t('app.connectionLost')}
        </p>
      )}
      <main ref={main} tabIndex={-1} className="app-main">
        {screen !== 'setup' && <AlertToast />}
        {bootError ? <ErrorMessage error={bootError} /> : booted ? <CurrentScreen screen={screen} /> : <p className="loading">{tr.t('app.loading')}</p>}
      </main>
    </div>
  );
}
