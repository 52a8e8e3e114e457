/** The sentences of each alert, built from locales (alerts.ts for the frame, errors.ts for the reason). */
import type { TargetKind } from '../../contract/api.js';
import type { ErrorInfo } from '../../contract/errors.js';
import { errorText } from '../../../locales/index.js';
import { formatAge, formatTime, tr } from '../texts.js';
import type { RunContext } from './run-context.js';
import { targetLabel, type TargetConfig } from './target-open.js';

function names(ctx: RunContext, kind: TargetKind) {
  const lang = ctx.alerts.lang;
  return { lang, copy: tr(lang, `copy.${kind}`), copyName: tr(lang, `copyName.${kind}`) };
}

export async function alertFailure(ctx: RunContext, t: TargetConfig, error: ErrorInfo): Promise<void> {
  const { lang, copy, copyName } = names(ctx, t.kind);
  const vars = { label: targetLabel(t), host: targetLabel(t), ...(error.details ?? {}) };
  const text = errorText(lang, error.code, vars);
  const reason = `${text.sentence} ${text.action}`.trim();
  await ctx.alerts.raise(t.id, 'failure', tr(lang, 'failure.title', { copy }), tr(lang, 'failure.body', { copyName, reason }));
}

export async function alertRecovered(ctx: RunContext, t: TargetConfig): Promise<void> {
  if (!ctx.alerts.inAlarm(t.id)) return;
  const { lang, copy, copyName } = names(ctx, t.kind);
  const time = formatTime(lang, ctx.clock.now(), ctx.timeZone);
  await ctx.alerts.raise(t.id, 'recovered', tr(lang, 'recovered.title', { copy }), tr(lang, 'recovered.body', { copyName, time }), { force: true });
}

export async function alertStale(ctx: RunContext, t: TargetConfig, lastSuccessAt: number | null): Promise<void> {
  const { lang, copy, copyName } = names(ctx, t.kind);
  const body =
    lastSuccessAt === null
      ? tr(lang, 'stale.bodyNever', { copyName })
      : tr(lang, 'stale.body', {
          copyName,
          age: formatAge(lang, ctx.clock.now() - lastSuccessAt),
          limit: formatAge(lang, t.staleAfterHours * 3_600_000),
        });
  await ctx.alerts.raise(t.id, 'stale', tr(lang, 'stale.title', { copy }), body);
}

export async function alertSafeToRemove(ctx: RunContext, t: TargetConfig): Promise<void> {
  if (t.kind !== 'usb') return;
  const lang = ctx.alerts.lang;
  await ctx.alerts.raise(t.id, 'drive-safe-to-remove', tr(lang, 'safeToRemove.title', { label: t.label }), tr(lang, 'safeToRemove.body'), { force: true });
}

export async function alertDrillDue(ctx: RunContext): Promise<void> {
  const lang = ctx.alerts.lang;
  await ctx.alerts.raise(null, 'drill-due', tr(lang, 'drillDue.title'), tr(lang, 'drillDue.body'));
}
