// @jsxRuntime automatic
/** Setup step 2: choose the USB drive and give it a name (written on a sticker, used in every sentence). */
import { formatBytes } from '../../../locales/index.js';
import { Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';

export function UsbStep() {
  const tr = useT();
  const setup = useStore((s) => s.setup);
  const setupChanged = useStore((s) => s.setupChanged);
  const drivesRequested = useStore((s) => s.drivesRequested);
  const drives = setup.drives ?? [];
  return (
    <div className="step-body">
      <h2>{tr.t('setup.usb.title')}</h2>
      <p className="lead">{tr.t('setup.usb.help')}</p>
      {drives.length === 0 ? (
        <p className="notice notice-info">{tr.t('setup.usb.none')}</p>
      ) : (
        <fieldset className="choice-list">
          <legend className="visually-hidden">{tr.t('setup.usb.title')}</legend>
          {drives.map((d) => (
            <label key={d.mountPath} className={`choice ${setup.usb?.mountPath === d.mountPath ? 'selected' : ''}`}>
              <input
                type="radio"
                name="usb-drive"
                checked={setup.usb?.mountPath === d.mountPath}
                onChange={() => setupChanged({ usb: { mountPath: d.mountPath, label: d.label ?? tr.t('setup.usb.labelDefault') }, usbSkipped: false })}
              />
              <span className="choice-text">
                <strong>{d.label ?? tr.t('setup.usb.noLabel')}</strong>
                <span className="muted">
                  {d.mountPath}
                  {d.freeBytes !== null && d.totalBytes !== null && ` · ${tr.t('setup.usb.free', { free: formatBytes(d.freeBytes, tr.lang), total: formatBytes(d.totalBytes, tr.lang) })}`}
                  {d.enrolledTargetId && ` · ${tr.t('setup.usb.enrolled')}`}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <button type="button" className="button-secondary" onClick={() => void drivesRequested()}>
        {tr.t('setup.usb.refresh')}
      </button>
      {setup.usb && !setup.usbSkipped && (
        <Field
          label={tr.t('setup.usb.labelField')}
          value={setup.usb.label}
          maxLength={60}
          onValue={(label) => setupChanged({ usb: { mountPath: setup.usb!.mountPath, label } })}
        />
      )}
      {setup.usbSkipped && <p className="notice notice-warn">{tr.t('setup.skipWarning')}</p>}
    </div>
  );
}
