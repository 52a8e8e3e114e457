/** Which screen a clicked notification opens (pure; notifications.ts wires it to Electron). */
import type { AlertDto, RempartEvents } from '../contract/api.js';

export type Screen = RempartEvents['navigate']['screen'];

/** Problems and recoveries are explained on the dashboard cards; a test alert was sent from the settings. */
export function screenForReason(reason: AlertDto['reason'] | string): Screen {
  return reason === 'test' ? 'settings' : 'dashboard';
}
