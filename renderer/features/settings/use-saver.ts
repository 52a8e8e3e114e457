/** Per-section saving state for the settings screen: busy, the confirmation or the plain error. */
import { useState } from 'react';
import type { SettingsDto } from '../../../electron/contract/api.js';
import type { ErrorInfo } from '../../../electron/contract/errors.js';
import { useStore } from '../../store/index.js';

export function useSaver() {
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const save = async (patch: Partial<Omit<SettingsDto, 'version'>>): Promise<boolean> => {
    setBusy(true);
    setSaved(false);
    const ok = await useStore.getState().settingsSaveRequested(patch);
    setBusy(false);
    setSaved(ok);
    setError(ok ? null : useStore.getState().settingsError);
    return ok;
  };
  /** For actions that are not a settings patch (password, e-mail test…). */
  const run = async (action: () => Promise<{ ok: true } | { ok: false; error: ErrorInfo }>): Promise<boolean> => {
    setBusy(true);
    setSaved(false);
    const res = await action();
    setBusy(false);
    setSaved(res.ok);
    setError(res.ok ? null : res.error);
    return res.ok;
  };
  return { busy, saved, error, save, run, reset: () => setSaved(false) };
}
