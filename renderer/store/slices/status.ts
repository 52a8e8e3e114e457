/** The live status of both copies (pushed by the main process) and per-copy run progress. */
import type { StateCreator } from 'zustand';
import type { StatusDto } from '../../../electron/contract/api.js';
import { api } from '../client-ref.js';
import type { RempartStore, StatusSlice } from '../types.js';

/** Statuses pushed so far (events): a fetched status is dropped when one was pushed while the request was in flight. */
let statusesPushed = 0;

export const createStatusSlice: StateCreator<RempartStore, [], [], StatusSlice> = (set, get) => {
  const apply = (status: StatusDto) => {
    const wasRunning = get().status?.targets.some((t) => t.state === 'running') ?? false;
    const running = status.targets.some((t) => t.state === 'running');
    set({ status, statusError: null, ...(running ? {} : { cancelling: false }) });
    // A run just ended: the journal has a new line.
    if (wasRunning && !running) void get().historyRequested();
  };
  return {
    status: null,
    statusError: null,
    statusReceived: (status) => {
      statusesPushed++;
      apply(status);
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
      const before = statusesPushed;
      const res = await api().getStatus();
      // The host pushes a status on every change: one pushed during the request is at least as new as this answer,
      // which may have been computed before it (e.g. « running » answered, then « à jour » pushed and delivered first).
      if (res.ok && statusesPushed !== before) return;
      if (res.ok) apply(res.value);
      else set({ statusError: res.error });
    },
  };
};
