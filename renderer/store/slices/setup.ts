/** The first-run setup wizard: folders, USB drive, cloud, passphrase, recovery sheet, then the first backup. */
import type { StateCreator } from 'zustand';
import { api } from '../client-ref.js';
import { passphraseProblem } from '../../lib/passphrase.js';
import { isAcceptableWebdavUrl } from '../../lib/webdav-url.js';
import type { RempartStore, SetupSlice, SetupState } from '../types.js';

export const initialSetup: SetupState = {
  step: 0,
  suggestions: [],
  sources: [],
  drives: null,
  usb: null,
  usbSkipped: false,
  cloud: { url: '', username: '', password: '' },
  cloudSkipped: false,
  cloudTest: { state: 'idle' },
  passphrase: '',
  passphraseAgain: '',
  busy: false,
  error: null,
  recoveryKey: null,
  createdAt: null,
  sheetConfirmed: false,
};

export const cloudKey = (c: SetupState['cloud']): string => `${c.url}\n${c.username}\n${c.password}`;

export const createSetupSlice: StateCreator<RempartStore, [], [], SetupSlice> = (set, get) => {
  const patch = (p: Partial<SetupState>) => set({ setup: { ...get().setup, ...p } });
  return {
    setup: initialSetup,
    setupOpened: async () => {
      const [suggestions] = await Promise.all([api().suggestSources(), get().drivesRequested()]);
      if (suggestions.ok) {
        const fresh = get().setup.sources.length === 0;
        patch({ suggestions: suggestions.value, ...(fresh ? { sources: suggestions.value.map((s) => s.path) } : {}) });
      }
    },
    setupChanged: (p) => patch(p),
    drivesRequested: async () => {
      const res = await api().listDrives();
      if (res.ok) patch({ drives: res.value });
      else patch({ drives: [], error: res.error });
    },
    cloudTestRequested: async () => {
      const { cloud } = get().setup;
      if (!isAcceptableWebdavUrl(cloud.url)) {
        patch({ cloudTest: { state: 'error', error: { code: 'INSECURE_URL', message: 'address rejected by the form' } } });
        return;
      }
      patch({ cloudTest: { state: 'testing' } });
      const res = await api().testWebdav({ url: cloud.url.trim(), username: cloud.username, password: cloud.password });
      patch({ cloudTest: res.ok ? { state: 'ok', result: res.value, testedFor: cloudKey(cloud) } : { state: 'error', error: res.error } });
    },
    setupSubmitted: async () => {
      const s = get().setup;
      if (passphraseProblem(s.passphrase, s.passphraseAgain) !== null) return;
      patch({ busy: true, error: null });
      const res = await api().completeSetup({
        sources: s.sources,
        excludes: [],
        ...(s.usb && !s.usbSkipped ? { usb: s.usb } : {}),
        ...(!s.cloudSkipped && s.cloud.url ? { cloud: { ...s.cloud, url: s.cloud.url.trim() } } : {}),
        passphrase: s.passphrase,
        language: get().lang,
      });
      if (!res.ok) {
        patch({ busy: false, error: res.error });
        return;
      }
      // The passphrase is not kept in memory once the copies exist.
      patch({ busy: false, recoveryKey: res.value.recoveryKey, createdAt: new Date().toISOString(), passphrase: '', passphraseAgain: '', step: 4 });
    },
    firstBackupRequested: async () => {
      patch({ busy: true, error: null });
      const [settings, status] = await Promise.all([api().getSettings(), api().getStatus()]);
      if (settings.ok) get().settingsLoaded(settings.value);
      // The host starts the first backup when the copies are created; start it only if that did not happen.
      const started = status.ok && status.value.targets.some((t) => t.state === 'running' || t.lastRunAt !== null);
      if (!started) await get().backupRequested();
      set({ setup: initialSetup, screen: 'dashboard' });
      await Promise.all([get().statusRequested(), get().historyRequested()]);
    },
  };
};
