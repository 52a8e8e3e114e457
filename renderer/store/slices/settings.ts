/** The saved settings (null until the first-run setup is done). */
import type { StateCreator } from 'zustand';
import { isLang } from '../../../locales/index.js';
import { api } from '../client-ref.js';
import type { RempartStore, SettingsSlice } from '../types.js';

export const createSettingsSlice: StateCreator<RempartStore, [], [], SettingsSlice> = (set) => ({
  settings: undefined,
  settingsBusy: false,
  settingsError: null,
  settingsNotice: null,
  settingsLoaded: (settings) => set(settings && isLang(settings.language) ? { settings, lang: settings.language } : { settings }),
  settingsSaveRequested: async (patch, notice) => {
    set({ settingsBusy: true, settingsError: null, settingsNotice: null });
    const res = await api().updateSettings(patch);
    if (!res.ok) {
      set({ settingsBusy: false, settingsError: res.error });
      return false;
    }
    set({ settingsBusy: false, settings: res.value, settingsNotice: notice ?? null });
    return true;
  },
  settingsNoticeShown: (notice, error = null) => set({ settingsNotice: notice, settingsError: error }),
});
