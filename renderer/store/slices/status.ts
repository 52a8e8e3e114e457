/** The live status of both copies (pushed by the main process) and per-copy run progress. */
import type { StateCreator } from 'zustand';
import { api } from '../client-ref.js';
import type { RempartStore, StatusSlice } from '../types.js';

export const createStatusSlice: StateCreator<RempartStore, [], [], StatusSlice> = (set, get) => ({
  status: null,
  statusError: null,
  statusReceived: (status) => {
    const wasRunning = get().status?.targets.some((t) => t.state === 'running') ?? false;
    const running = status.targets.some((t) => t.state === 'running');
    set({ status, statusError: null, ...(running ? {} : { cancelling: false }) });
    // A run just ended: the journal has a new line.
    if (wasRunning && !running) void get().historyRequested();
  },
  progressReceived: ({ targetId, progress }) => {
    const status = get().status;
    if (!status) return;
    set({
      status: {
        ...status,
        targets: status.targets.map((t) => (t.id === targetId ? { ...t, progress, state: 'running' } : t)),
      },
    });
  },
  statusRequested: async () => {
    const res = await api().getStatus();
    if (res.ok) get().statusReceived(res.value);
    else set({ statusError: res.error });
  },
});
