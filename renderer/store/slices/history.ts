/** The journal of runs (filterable by copy) and the alerts received. */
import type { StateCreator } from 'zustand';
import { api } from '../client-ref.js';
import type { HistorySlice, RempartStore } from '../types.js';

const HISTORY_LIMIT = 200;
const ALERTS_KEPT = 50;

export const createHistorySlice: StateCreator<RempartStore, [], [], HistorySlice> = (set, get) => ({
  history: [],
  historyFilter: 'all',
  historyLoading: false,
  historyError: null,
  alerts: [],
  freshAlert: null,
  historyRequested: async (filter) => {
    const wanted = filter ?? get().historyFilter;
    set({ historyFilter: wanted, historyLoading: true });
    const res = await api().getHistory(wanted === 'all' ? { limit: HISTORY_LIMIT } : { target: wanted, limit: HISTORY_LIMIT });
    if (get().historyFilter !== wanted) return; // a newer filter was chosen meanwhile
    set(res.ok ? { history: res.value, historyLoading: false, historyError: null } : { historyLoading: false, historyError: res.error });
  },
  alertReceived: (alert) => set({ alerts: [alert, ...get().alerts].slice(0, ALERTS_KEPT), freshAlert: alert }),
  alertDismissed: () => set({ freshAlert: null }),
  alertsRequested: async () => {
    const res = await api().getAlerts({ limit: ALERTS_KEPT });
    if (res.ok) set({ alerts: res.value });
  },
});
