/**
 * The one bound zustand store, built from slices (zustand slices pattern). Actions are named as events.
 * `resetStore()` puts every slice back to its initial state (tests call it between cases).
 */
import { create } from 'zustand';
import { createHistorySlice } from './slices/history.js';
import { createRestoreSlice } from './slices/restore.js';
import { createRunSlice } from './slices/run.js';
import { createSettingsSlice } from './slices/settings.js';
import { createSetupSlice } from './slices/setup.js';
import { createStatusSlice } from './slices/status.js';
import { createUiSlice } from './slices/ui.js';
import type { RempartStore } from './types.js';

export type { RempartStore, Screen } from './types.js';

export const useStore = create<RempartStore>()((...a) => ({
  ...createUiSlice(...a),
  ...createStatusSlice(...a),
  ...createRunSlice(...a),
  ...createSettingsSlice(...a),
  ...createHistorySlice(...a),
  ...createSetupSlice(...a),
  ...createRestoreSlice(...a),
}));

const initialState = useStore.getState();

export function resetStore(): void {
  useStore.setState(initialState, true);
}
