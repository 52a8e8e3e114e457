/** "Now" and the time zone for sentences: the main process's (from the status), else this page's. */
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../store/index.js';

export function useClock(): { now: string; timeZone: string } {
  const now = useStore((s) => s.status?.now);
  const timeZone = useStore((s) => s.status?.timeZone);
  return { now: now ?? new Date().toISOString(), timeZone: timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone };
}

/** targetId → drive label / server host, for error sentences in the journal. */
export function useTargetLabels(): Record<string, string> {
  return useStore(useShallow((s) => Object.fromEntries((s.status?.targets ?? []).map((t) => [t.id, t.label]))));
}
