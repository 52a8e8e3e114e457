/**
 * The orchestrator's Notifier on Electron's Notification. Clicking a notification shows the window on the relevant screen.
 * Notifications are kept referenced until closed, so their click handlers survive garbage collection.
 */
import { Notification } from 'electron';
import type { NotificationRequest, Notifier } from '../host/ports.js';
import { screenForReason, type Screen } from './notification-policy.js';

export class ElectronNotifier implements Notifier {
  private readonly live = new Set<Notification>();

  constructor(
    private readonly iconPath: string,
    private readonly onClick: (screen: Screen) => void,
    private readonly enabled: () => boolean = () => true,
  ) {}

  notify(n: NotificationRequest): void {
    if (!this.enabled() || !Notification.isSupported()) return;
    const notification = new Notification({ title: n.title, body: n.body, icon: this.iconPath, urgency: n.reason === 'failure' ? 'critical' : 'normal' });
    this.live.add(notification);
    const forget = () => this.live.delete(notification);
    notification.on('click', () => {
      forget();
      this.onClick(screenForReason(n.reason));
    });
    notification.on('close', forget);
    notification.on('failed', forget);
    notification.show();
  }
}
