/**
 * RempartApi over the host's parts. Every method validates its payload (contract/validate.ts) and returns a Result:
 * nothing ever throws across the boundary.
 */
import { hostname } from 'node:os';
import type { ApiMethod, ApiPayload, RempartApi, TargetKind } from '../contract/api.js';
import type { Result } from '../contract/errors.js';
import { validatePayload } from '../contract/validate.js';
import { attempt, fail, HostError } from './errors.js';
import { applySettingsPatch } from './config/validate.js';
import { defaultSettings } from './config/defaults.js';
import { changePassphrase, runDrill } from './drills.js';
import { buildMonthlyReport } from './report/monthly-report.js';
import { completeSetup, suggestSources, testWebdav } from './setup.js';
import { buildStatus } from './status.js';
import { tr } from './texts.js';
import { secretKeys } from './runner/target-open.js';
import type { HostCore } from './host-core.js';

type Impl = { [M in ApiMethod]: (payload: ApiPayload<M>) => Promise<unknown> };

export function createApi(core: HostCore): RempartApi {
  const { ctx } = core;
  const kindsOf = (target?: TargetKind): TargetKind[] => (target ? [target] : ['usb', 'cloud']);
  const settingsOrFail = () => {
    const s = ctx.settings();
    if (!s || (!s.usb && !s.cloud)) throw new HostError('NOT_CONFIGURED', 'Rempart is not set up yet');
    return s;
  };

  const impl: Impl = {
    getStatus: async () => buildStatus(ctx, core.scheduler),
    getSettings: async () => ctx.settings(),
    updateSettings: async (patch) => {
      const next = applySettingsPatch(ctx.settings() ?? defaultSettings(), patch);
      await core.saveSettings(next);
      return next;
    },
    suggestSources: () => suggestSources(),
    listDrives: async () => (await ctx.drives.listDrives()).map(({ driveId: _id, ...d }) => d),
    testWebdav: (req) => testWebdav(req),
    completeSetup: async (req) => {
      const { result, settings } = await completeSetup(req, { clock: ctx.clock, secrets: ctx.secrets, current: ctx.settings(), tuning: core.tuning });
      await core.saveSettings(settings);
      core.runner.request(['usb', 'cloud'], 'manual');
      return result;
    },
    setWebdavPassword: async (req) => {
      const s = settingsOrFail();
      if (!s.cloud) throw new HostError('NOT_CONFIGURED', 'no cloud copy is configured');
      await ctx.secrets.set(secretKeys.webdavPassword(s.cloud.id), req.password);
      return true as const;
    },
    backupNow: async (req) => {
      settingsOrFail();
      const kinds = kindsOf(req.target);
      const usb = ctx.settings()?.usb;
      const runnable = kinds.filter((k) => k !== 'usb' || !usb || ctx.drives.get(usb.driveId) !== null);
      if (runnable.length === 0) throw new HostError('DRIVE_NOT_PLUGGED', `drive "${usb?.label}" is not connected`, { label: usb?.label ?? '' });
      const { started, busy } = core.runner.request(runnable, 'manual');
      if (started.length === 0 && busy.length > 0) throw new HostError('ALREADY_RUNNING', `already running: ${busy.join(', ')}`);
      if (started.length === 0) throw new HostError('NOT_CONFIGURED', 'nothing to back up (no folder or copy enabled)');
      return true as const;
    },
    cancelRun: async (req) => {
      core.runner.cancel(req.target);
      return true as const;
    },
    getHistory: async (req) => {
      const entries = ctx.journal.entries(req.target ? { kind: req.target } : undefined).reverse();
      return entries.slice(0, req.limit ?? 200);
    },
    getAlerts: async (req) => ctx.alerts.list(req.limit ?? 100),
    openRestoreSource: async (req) => ({ sessionId: await core.restores.open(req.from, req.secret) }),
    listRestorePoints: (req) => core.restores.points(req.sessionId),
    listRestoreFiles: (req) => core.restores.files(req.sessionId, req.snapshotId, req.secret),
    startRestore: (req) => core.restores.restore(req),
    startDrill: (req) => runDrill(ctx, req.target, req.secret),
    changePassphrase: async (req) => {
      await changePassphrase(ctx, req.current, req.next);
      return true as const;
    },
    sendTestEmail: async () => {
      const s = settingsOrFail();
      if (!s.alerts.email) throw new HostError('NOT_CONFIGURED', 'no e-mail settings');
      await ctx.alerts.email(tr(s.language, 'test.title'), tr(s.language, 'test.body'));
      return true as const;
    },
    getMonthlyReport: async (req) => {
      const s = ctx.settings();
      const kinds = (['usb', 'cloud'] as TargetKind[]).filter((k) => !!s?.[k]);
      const html = buildMonthlyReport({
        month: req.month, entries: ctx.journal.entries(), lang: s?.language ?? 'fr', timeZone: ctx.timeZone, now: ctx.clock.now(),
        hostName: hostname(), kinds: kinds.length ? kinds : ['usb', 'cloud'],
      });
      return { html };
    },
    openPath: async (req) => {
      await core.ports.opener.open(req.path);
      return true as const;
    },
  };

  const api = {} as Record<ApiMethod, (payload?: unknown) => Promise<Result<unknown>>>;
  for (const method of Object.keys(impl) as ApiMethod[]) {
    api[method] = async (payload?: unknown) => {
      if (core.stopped) return fail('UNKNOWN', 'Rempart is shutting down');
      const checked = validatePayload(method, payload);
      if (!checked.ok) return checked;
      return attempt(() => (impl[method] as (p: unknown) => Promise<unknown>)(checked.value));
    };
  }
  return api as unknown as RempartApi;
}
