/**
 * startHost: the orchestrator of the main process, without Electron. Loads the settings, recovers the journal (runs that
 * died become "interrupted"), arms the schedules, watches for the enrolled drive, catches up missed runs, and serves
 * the RempartApi plus an event stream. The Electron shell and the loopback bridge both sit on top of this.
 */
import { mkdir } from 'node:fs/promises';
import type { EventName, RempartApi, RempartEvents, SettingsDto } from '../contract/api.js';
import { systemClock, type Clock } from '../engine/base/clock.js';
import { AlertCenter } from './alerts/alert-center.js';
import { createApi } from './api-impl.js';
import { ConfigStore } from './config/config-store.js';
import { defaultDriveLister } from './drive-lister.js';
import type { EngineTuning } from './engine-port.js';
import type { HostCore } from './host-core.js';
import { Journal } from './journal/journal.js';
import { consoleNotifier, FileSecretStore, noPowerEvents, systemPathOpener, type HostPorts } from './ports.js';
import { RestoreSessions } from './restore-sessions.js';
import { DriveWatch } from './runner/drive-watch.js';
import type { RunContext } from './runner/run-context.js';
import { Runner } from './runner/runner.js';
import { Scheduler } from './schedule/scheduler.js';
import { systemTimeZone } from './schedule/zoned-time.js';
import { buildStatus } from './status.js';
import { assertContentRuntimeSupport } from '../engine/index.js';

export interface HostOptions {
  dataDir: string;
  clock?: Clock;
  ports?: Partial<HostPorts>;
  /** Each sub-folder of a root is one mounted drive (tests, e2e). Default: the OS mount locations. */
  driveRoots?: string[];
  /** IANA zone for schedules and texts. Default: the system's (TZ env / Intl). */
  timeZone?: string;
  tuning?: EngineTuning;
  /** How often the drive list is polled, in ms of the host clock (default 3 s). */
  drivePollMs?: number;
  onError?: (err: unknown) => void;
}

export interface Host {
  api: RempartApi;
  on<E extends EventName>(event: E, fn: (p: RempartEvents[E]) => void): () => void;
  stop(): Promise<void>;
  /** Resolves when no run is in progress (tests, orderly shutdown). */
  idle(): Promise<void>;
}

export async function startHost(opts: HostOptions): Promise<Host> {
  // Fails at once with a clear message if this runtime lacks what the engine needs (brotli, a crypto backend).
  assertContentRuntimeSupport();
  await mkdir(opts.dataDir, { recursive: true });
  const clock = opts.clock ?? systemClock;
  const timeZone = opts.timeZone ?? systemTimeZone();
  const log = opts.onError ?? ((err: unknown) => process.stderr.write(`[rempart host] ${(err as Error)?.stack ?? String(err)}\n`));
  const ports: HostPorts = {
    notifier: opts.ports?.notifier ?? consoleNotifier,
    secrets: opts.ports?.secrets ?? new FileSecretStore(opts.dataDir),
    drives: opts.ports?.drives ?? defaultDriveLister(opts.driveRoots),
    power: opts.ports?.power ?? noPowerEvents,
    opener: opts.ports?.opener ?? systemPathOpener,
  };
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const emit = <E extends EventName>(event: E, payload: RempartEvents[E]) => {
    for (const fn of listeners.get(event) ?? []) {
      try {
        fn(payload);
      } catch (err) {
        log(err);
      }
    }
  };

  const config = new ConfigStore(opts.dataDir);
  let settings: SettingsDto | null = await config.load();
  const journal = await Journal.open(opts.dataDir, () => new Date(clock.now()).toISOString());
  const alerts = await AlertCenter.open({
    dataDir: opts.dataDir, clock, timeZone, notifier: ports.notifier, secrets: ports.secrets, settings: () => settings,
    emit: (a) => emit('alert', a), onError: log,
  });
  const scheduler = new Scheduler(clock, timeZone);
  let core: HostCore;
  let statusQueued = false;
  const ctx: RunContext = {
    dataDir: opts.dataDir, clock, timeZone, settings: () => settings, secrets: ports.secrets, journal, alerts,
    drives: new DriveWatch(ports.drives, clock, (id, d) => core?.runner.onDrive(id, d), opts.drivePollMs),
    live: new Map(), memo: new Map(),
    emitProgress: (kind, targetId, progress) => emit('progress', { kind, targetId, progress }),
    changed: () => {
      if (statusQueued || listeners.get('status')?.size === undefined) return;
      statusQueued = true;
      queueMicrotask(() => {
        statusQueued = false;
        if (!core.stopped) emit('status', buildStatus(ctx, scheduler));
      });
    },
    log, sampleFraction: 0.1, drillFiles: 20,
  };
  const runner = new Runner(ctx, scheduler);
  core = {
    ctx, scheduler, runner, ports, config, tuning: opts.tuning ?? {}, stopped: false,
    restores: new RestoreSessions(ctx, (p) => emit('restoreProgress', p)),
    async saveSettings(next) {
      await config.save(next);
      settings = next;
      runner.configure();
      ctx.changed();
    },
  };
  const api = createApi(core);

  runner.configure();
  await ctx.drives.start();
  const caughtUp = runner.catchUp();
  runner.refreshFacts((['usb', 'cloud'] as const).filter((k) => !caughtUp.includes(k)));
  void runner.checkAlerts();
  const offResume = ports.power.onResume(() => {
    void ctx.drives.poll().then(() => {
      runner.catchUp();
      return runner.checkAlerts();
    });
  });

  return {
    api,
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn as (p: unknown) => void);
      return () => set!.delete(fn as (p: unknown) => void);
    },
    async idle() {
      await ctx.drives.settled();
      await runner.idle();
      await ctx.drives.settled();
      await runner.idle();
    },
    async stop() {
      if (core.stopped) return;
      core.stopped = true;
      offResume();
      ctx.drives.stop();
      scheduler.stop();
      await runner.stop();
      await core.restores.closeAll();
      await journal.close();
    },
  };
}
