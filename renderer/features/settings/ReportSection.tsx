// @jsxRuntime automatic
/**
 * The monthly report: fetched as HTML and shown in a sandboxed frame (no scripts), with « Imprimer » and « Enregistrer ».
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useT } from '../../i18n/use-t.js';
import { api } from '../../store/client-ref.js';
import { SectionFooter } from './SectionFooter.js';
import { useSaver } from './use-saver.js';

/**
 * The page's CSP (style-src 'self') also governs the srcdoc frame, so the report's own <style> blocks are blocked.
 * They are re-applied as constructed style sheets through the CSSOM, which that policy allows; scripts stay off.
 */
function applyReportStyles(frame: HTMLIFrameElement | null): void {
  const doc = frame?.contentDocument;
  const win = frame?.contentWindow as (Window & typeof globalThis) | null | undefined;
  if (!doc || !win || typeof win.CSSStyleSheet !== 'function') return;
  const sheets: CSSStyleSheet[] = [];
  doc.querySelectorAll('style').forEach((style) => {
    try {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(style.textContent ?? '');
      sheets.push(sheet);
    } catch {
      // an unparsable block is skipped; the report stays readable unstyled
    }
  });
  if (sheets.length > 0) doc.adoptedStyleSheets = sheets;
}

function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export function ReportSection() {
  const tr = useT();
  const saver = useSaver();
  const [month, setMonth] = useState(lastMonth);
  const [html, setHtml] = useState<string | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const download = useMemo(() => (html ? URL.createObjectURL(new Blob([html], { type: 'text/html' })) : null), [html]);
  useEffect(() => () => {
    if (download) URL.revokeObjectURL(download);
  }, [download]);
  return (
    <form
      className="settings-section"
      aria-labelledby="settings-report"
      onSubmit={async (e) => {
        e.preventDefault();
        let value = '';
        const ok = await saver.run(async () => {
          const res = await api().getMonthlyReport({ month });
          if (res.ok) value = res.value.html;
          return res;
        });
        setHtml(ok ? value : null);
      }}
    >
      <h2 id="settings-report">{tr.t('settings.report')}</h2>
      <div className="field inline">
        <label htmlFor="report-month">{tr.t('settings.report.month')}</label>
        <input id="report-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      </div>
      <SectionFooter busy={saver.busy} saved={false} error={saver.error} label={tr.t('settings.report.open')} disabled={!/^\d{4}-\d{2}$/.test(month)} />
      {html && (
        <div className="report-view">
          <div className="wizard-buttons">
            <button type="button" className="button-secondary" onClick={() => frame.current?.contentWindow?.print()}>{tr.t('sheet.print')}</button>
            {download && <a className="button-secondary" href={download} download={`rempart-${month}.html`}>{tr.t('common.save')}</a>}
            <button type="button" className="button-link" onClick={() => setHtml(null)}>{tr.t('common.close')}</button>
          </div>
          <iframe ref={frame} title={tr.t('settings.report')} sandbox="allow-same-origin allow-modals" srcDoc={html} className="report-frame" onLoad={() => applyReportStyles(frame.current)} />
        </div>
      )}
    </form>
  );
}
