/**
 * The monthly backup report: a printable, self-contained HTML page (inline CSS, no scripts, no external resources)
 * listing each day's outcome for both copies and the restore drills of the month: proof for the shop and its IT provider.
 */
import type { JournalEntryDto, RunOutcome, TargetKind } from '../../contract/api.js';
import { localParts } from '../schedule/zoned-time.js';
import { formatDate, formatTime, tr, type AlertKey, type Lang } from '../texts.js';

export interface ReportInput {
  month: string; // YYYY-MM
  entries: JournalEntryDto[];
  lang: Lang;
  timeZone: string;
  now: number;
  hostName: string;
  kinds: TargetKind[]; // configured copies
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const RANK: Record<RunOutcome, number> = { success: 5, partial: 4, running: 3, cancelled: 2, interrupted: 1, failed: 0 };

function dayKey(iso: string, tz: string): string {
  const p = localParts(Date.parse(iso), tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function cell(lang: Lang, tz: string, runs: JournalEntryDto[]): { html: string; ok: boolean } {
  if (runs.length === 0) return { html: `<td class="none">${esc(tr(lang, 'report.none'))}</td>`, ok: false };
  const best = runs.reduce((a, b) => (RANK[b.outcome] > RANK[a.outcome] ? b : a));
  const ok = best.outcome === 'success' || best.outcome === 'partial';
  const times = runs.map((r) => `${formatTime(lang, Date.parse(r.startedAt), tz)} ${tr(lang, `outcome.${r.outcome}` as AlertKey)}`);
  const verify = best.verification ? ` · ${tr(lang, best.verification.ok ? 'verify.ok' : 'verify.failed')}` : '';
  return { html: `<td class="${ok ? 'ok' : 'ko'}">${esc(times.join(', ') + verify)}</td>`, ok };
}

export function buildMonthlyReport(input: ReportInput): string {
  const { lang, timeZone: tz } = input;
  const [year, month] = input.month.split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const monthName = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(year, month - 1, 15),
  );
  const inMonth = input.entries.filter((e) => dayKey(e.startedAt, tz).startsWith(input.month));
  const backups = inMonth.filter((e) => e.trigger !== 'drill' && e.trigger !== 'verify');
  const drills = inMonth.filter((e) => e.trigger === 'drill');
  const okDays: Record<TargetKind, number> = { usb: 0, cloud: 0 };
  const rows: string[] = [];
  for (let d = 1; d <= daysInMonth; d++) {
    const key = `${input.month}-${String(d).padStart(2, '0')}`;
    const cells = input.kinds.map((k) => {
      const c = cell(lang, tz, backups.filter((e) => e.kind === k && dayKey(e.startedAt, tz) === key));
      if (c.ok) okDays[k]++;
      return c.html;
    });
    const label = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { weekday: 'short', day: 'numeric', timeZone: 'UTC' }).format(
      Date.UTC(year, month - 1, d),
    );
    rows.push(`<tr><th scope="row">${esc(label)}</th>${cells.join('')}</tr>`);
  }
  const drillRows = drills.map((e) => {
    const v = e.verification;
    const text = v?.ok
      ? tr(lang, 'report.drillOk', { matching: v.detail?.split('/')[0] ?? '', checked: e.files })
      : tr(lang, 'report.drillFailed', { detail: e.error?.message ?? v?.detail ?? '' });
    return `<li class="${v?.ok ? 'ok' : 'ko'}">${esc(formatDate(lang, Date.parse(e.startedAt), tz))} — ${esc(tr(lang, `copy.${e.kind}`))} — ${esc(text)}</li>`;
  });
  const head = input.kinds.map((k) => `<th scope="col">${esc(tr(lang, `report.${k}`))}</th>`).join('');
  const title = tr(lang, 'report.title', { month: monthName });
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;color:#1d1d1f;margin:2em}h1{font-size:1.5em}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left}td.ok{background:#e6f4ea}td.ko{background:#fdecea}td.none{color:#888}
li.ok{color:#1e7e34}li.ko{color:#b00020}@media print{body{margin:0}}
</style></head><body>
<h1>${esc(title)}</h1>
<p>${esc(tr(lang, 'report.intro'))}</p>
<p>${esc(tr(lang, 'report.summary', { usb: okDays.usb, cloud: okDays.cloud, days: daysInMonth }))}</p>
<table><thead><tr><th scope="col">${esc(tr(lang, 'report.day'))}</th>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<h2>${esc(tr(lang, 'report.drills'))}</h2>
${drillRows.length ? `<ul>${drillRows.join('')}</ul>` : `<p>${esc(tr(lang, 'report.noDrill'))}</p>`}
<p><small>${esc(tr(lang, 'report.generated', { date: formatDate(lang, input.now, tz), host: input.hostName }))}</small></p>
</body></html>
`;
}
