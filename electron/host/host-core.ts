/** The host's parts, wired together (what api-impl.ts and host.ts share). */
import type { SettingsDto } from '../contract/api.js';
import type { ConfigStore } from './config/config-store.js';
import type { EngineTuning } from './engine-port.js';
import type { HostPorts } from './ports.js';
import type { RestoreSessions } from './restore-sessions.js';
import type { RunContext } from './runner/run-context.js';
import type { Runner } from './runner/runner.js';
import type { Scheduler } from './schedule/scheduler.js';

export interface HostCore {
  ctx: RunContext;
  scheduler: Scheduler;
  runner: Runner;
  restores: RestoreSessions;
  ports: HostPorts;
  config: ConfigStore;
  tuning: EngineTuning;
  stopped: boolean;
  saveSettings(next: SettingsDto): Promise<void>;
}
