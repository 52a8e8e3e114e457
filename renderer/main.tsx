// @jsxRuntime automatic
/** Boot: pick the transport (preload in Electron, loopback bridge in a browser), wire events into the store, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { t } from '../locales/index.js';
import { pickClient } from './api/client.js';
import { App } from './features/app/App.js';
import { bindClient } from './store/client-ref.js';
import { useStore } from './store/index.js';
import { syncStoreWith } from './store/sync.js';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('missing #root');

const picked = pickClient(window, (connected) => useStore.getState().connectionChanged(connected));
if (picked.kind === 'no-token') {
  const p = document.createElement('p');
  p.className = 'no-token';
  p.textContent = t(useStore.getState().lang, 'app.unauthorized');
  rootElement.append(p);
} else {
  bindClient(picked.client);
  syncStoreWith(picked.client);
  createRoot(rootElement).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  void useStore.getState().bootRequested();
}
