/**
 * The API as the renderer sees it in Electron: the host's methods, plus the side effects the shell owns.
 * After settings are saved or the setup completes, the shell re-reads what it applies itself (start at login, tray
 * language, desktop notifications). Pure (no Electron import), unit-tested.
 */
import { API_METHODS, type RempartApi, type SettingsDto } from '../contract/api.js';

export interface ShellApiHooks {
  /** Called with the saved settings after a successful updateSettings or completeSetup. */
  settingsSaved(settings: SettingsDto): Promise<void>;
}

export function shellApi(host: RempartApi, hooks: ShellApiHooks): RempartApi {
  const api = Object.fromEntries(
    API_METHODS.map((m) => [m, (payload: unknown) => (host[m] as (p: unknown) => Promise<unknown>).call(host, payload)]),
  ) as unknown as RempartApi;
  api.updateSettings = async (patch) => {
    const r = await host.updateSettings(patch);
    if (r.ok) await hooks.settingsSaved(r.value);
    return r;
  };
  api.completeSetup = async (req) => {
    const r = await host.completeSetup(req);
    if (r.ok) {
      const s = await host.getSettings();
      if (s.ok && s.value) await hooks.settingsSaved(s.value);
    }
    return r;
  };
  return api;
}

/** What changed that the shell must apply (null = nothing). */
export function loginItemChange(before: SettingsDto | null, after: SettingsDto): boolean | null {
  return before?.startAtLogin === after.startAtLogin ? null : after.startAtLogin;
}
