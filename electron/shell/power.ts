/** Power and path OS surfaces for the host: wake-up events from powerMonitor, folders opened with shell.openPath. */
import { powerMonitor, shell } from 'electron';
import type { PathOpener, PowerEvents } from '../host/ports.js';

export const electronPowerEvents: PowerEvents = {
  onResume(fn) {
    const handler = () => fn();
    powerMonitor.on('resume', handler);
    powerMonitor.on('unlock-screen', handler);
    return () => {
      powerMonitor.off('resume', handler);
      powerMonitor.off('unlock-screen', handler);
    };
  },
};

export const electronPathOpener: PathOpener = {
  async open(path) {
    const error = await shell.openPath(path);
    if (error) throw new Error(`could not open ${path}: ${error}`);
  },
};
