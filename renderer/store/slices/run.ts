/** « Sauvegarder maintenant », « Annuler » and the restore drill. */
import type { StateCreator } from 'zustand';
import { api } from '../client-ref.js';
import type { RempartStore, RunSlice } from '../types.js';

export const createRunSlice: StateCreator<RempartStore, [], [], RunSlice> = (set, get) => ({
  runError: null,
  cancelling: false,
  drill: null,
  backupRequested: async (target) => {
    set({ runError: null });
    const res = await api().backupNow(target ? { target } : {});
    if (!res.ok) set({ runError: res.error });
    else void get().statusRequested();
  },
  cancelRequested: async (target) => {
    set({ cancelling: true });
    const res = await api().cancelRun(target ? { target } : {});
    if (!res.ok) set({ cancelling: false, runError: res.error });
  },
  drillOpened: (target) => set({ drill: target ? { target, running: false, result: null, error: null } : null }),
  drillRequested: async (target, secret) => {
    set({ drill: { target, running: true, result: null, error: null } });
    const res = await api().startDrill({ target, secret });
    set({ drill: { target, running: false, result: res.ok ? res.value : null, error: res.ok ? null : res.error } });
    void get().statusRequested();
  },
});
