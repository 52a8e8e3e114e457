// @jsxRuntime automatic
/**
 * The recovery sheet: the recovery key, its QR code, the copies, and how to restore on a new computer.
 * « Imprimer » prints only this sheet (print stylesheet); the user must confirm it was printed or saved.
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { formatDate } from '../../../locales/index.js';
import { useT } from '../../i18n/use-t.js';

export interface SheetCopies {
  usbLabel?: string;
  cloudUrl?: string;
  cloudUser?: string;
}

export function useQrDataUrl(text: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: 240 })
      .then((u) => alive && setUrl(u))
      .catch(() => alive && setUrl(null));
    return () => {
      alive = false;
    };
  }, [text]);
  return url;
}

export function RecoverySheet({ recoveryKey, createdAt, copies }: { recoveryKey: string; createdAt: string; copies: SheetCopies }) {
  const tr = useT();
  const qr = useQrDataUrl(recoveryKey);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <article className="recovery-sheet" aria-labelledby="sheet-title" data-testid="recovery-sheet">
      <header className="sheet-head">
        <h2 id="sheet-title">{tr.t('sheet.title')}</h2>
        <p className="muted">{tr.t('sheet.createdOn', { date: formatDate(createdAt, tr.lang, timeZone) })}</p>
      </header>
      <p>{tr.t('sheet.intro')}</p>
      <div className="sheet-key">
        <div>
          <h3>{tr.t('sheet.keyLabel')}</h3>
          <p className="recovery-key" data-testid="recovery-key">{recoveryKey}</p>
          <p className="sheet-warning">{tr.t('sheet.warning')}</p>
        </div>
        {qr && <img className="sheet-qr" src={qr} alt={tr.t('sheet.qrAlt')} width={180} height={180} />}
      </div>
      {(copies.usbLabel || copies.cloudUrl) && (
        <>
          <h3>{tr.t('sheet.copies')}</h3>
          <ul>
            {copies.usbLabel && <li>{tr.t('sheet.usbCopy', { label: copies.usbLabel })}</li>}
            {copies.cloudUrl && <li>{tr.t('sheet.cloudCopy', { url: copies.cloudUrl, user: copies.cloudUser ?? '' })}</li>}
          </ul>
        </>
      )}
      <h3>{tr.t('sheet.howTitle')}</h3>
      <ol className="sheet-how">
        <li>{tr.t('sheet.how1')}</li>
        <li>{tr.t('sheet.how2')}</li>
        <li>{tr.t('sheet.how3')}</li>
        <li>{tr.t('sheet.how4')}</li>
        <li>{tr.t('sheet.how5')}</li>
      </ol>
    </article>
  );
}
