// @jsxRuntime automatic
/**
 * The monthly report: fetched as HTML and shown in a sandboxed frame (no scripts), with « Imprimer » and « Enregistrer ».
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useT } from '../../i18n/use-t.js';
import { api } from '../../store/client-ref.js';
import { SectionFooter } from './SectionFooter.js';
import { useSaver } from './use-saver.js';

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
          <iframe ref={frame} title={tr.t('settings.report')} sandbox="allow-same-origin allow-modals" srcDoc={html} className="report-frame" />
        </div>
      )}
    </form>
  );
}
