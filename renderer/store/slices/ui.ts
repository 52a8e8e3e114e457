/** Screen, language, connection and boot: decides between the setup wizard and the dashboard. */
import type { StateCreator } from 'zustand';
import { DEFAULT_LANG } from '../../../locales/index.js';
import { api } from '../client-ref.js';
import type { RempartStore, UiSlice } from '../types.js';

export const createUiSlice: StateCreator<RempartStore, [], [], UiSlice> = (set, get) => ({
  screen: 'dashboard',
  lang: DEFAULT_LANG,
  connected: true,
  booted: false,
  bootError: null,
  navigated: (screen) => {
    set({ screen });
    if (screen === 'history') void Promise.all([get().historyRequested(), get().alertsRequested()]);
    if (screen !== 'restore') return;
    // A finished restore starts over; an unfinished one is kept as it was left.
    if (get().restore.step === 5 && get().restore.result) get().restoreReset();
    // Before any setup (a new computer), restoring is only possible from another drive or server.
    if (!get().settings && get().restore.step === 0) get().restoreChanged({ from: 'other' });
  },
  languageChosen: async (lang) => {
    set({ lang });
    if (get().settings) await get().settingsSaveRequested({ language: lang });
  },
  connectionChanged: (connected) => {
    set({ connected });
    if (connected) void get().statusRequested();
  },
  bootRequested: async () => {
    const settings = await api().getSettings();
    if (!settings.ok) {
      set({ bootError: settings.error, booted: true });
      return;
    }
    get().settingsLoaded(settings.value);
    if (settings.value === null) {
      set({ screen: 'setup', booted: true });
      await get().setupOpened();
      return;
    }
    set({ screen: 'dashboard', booted: true });
    await Promise.all([get().statusRequested(), get().historyRequested()]);
  },
});
