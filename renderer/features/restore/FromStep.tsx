// @jsxRuntime automatic
/** Restore step 1: where from — the USB drive, the cloud, or another drive / server (new computer). */
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { SecretInput } from '../../components/SecretInput.js';
import { useT } from '../../i18n/use-t.js';
import { hostOf } from '../../lib/webdav-url.js';
import { useStore } from '../../store/index.js';
import type { RestoreFrom } from '../../store/types.js';

export function FromStep() {
  const tr = useT();
  const r = useStore((s) => s.restore);
  const restoreChanged = useStore((s) => s.restoreChanged);
  const targets = useStore((s) => s.status?.targets) ?? [];
  const usb = targets.find((t) => t.kind === 'usb' && t.state !== 'unconfigured');
  const cloud = targets.find((t) => t.kind === 'cloud' && t.state !== 'unconfigured');
  const options: { value: RestoreFrom; title: string; help: string; disabled: boolean }[] = [
    { value: 'usb', title: tr.t('restore.from.usb'), help: usb ? tr.t('restore.from.usbHelp', { label: usb.label }) : tr.t('restore.from.notConfigured'), disabled: !usb },
    { value: 'cloud', title: tr.t('restore.from.cloud'), help: cloud ? tr.t('restore.from.cloudHelp', { host: hostOf(cloud.label) }) : tr.t('restore.from.notConfigured'), disabled: !cloud },
    { value: 'other', title: tr.t('restore.from.other'), help: tr.t('restore.from.otherHelp'), disabled: false },
  ];
  return (
    <div className="step-body">
      <h2>{tr.t('restore.from.title')}</h2>
      <fieldset className="choice-list">
        <legend className="visually-hidden">{tr.t('restore.from.title')}</legend>
        {options.map((o) => (
          <label key={o.value} className={`choice ${r.from === o.value ? 'selected' : ''} ${o.disabled ? 'disabled' : ''}`}>
            <input type="radio" name="restore-from" disabled={o.disabled} checked={r.from === o.value} onChange={() => restoreChanged({ from: o.value, error: null })} />
            <span className="choice-text">
              <strong>{o.title}</strong>
              <span className="muted">{o.help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {r.from === 'other' && (
        <div className="sub-form">
          <fieldset className="radio-row">
            <legend>{tr.t('restore.from.otherKind')}</legend>
            {(['folder', 'webdav'] as const).map((k) => (
              <label key={k} className="radio">
                <input type="radio" name="restore-other" checked={r.otherKind === k} onChange={() => restoreChanged({ otherKind: k })} />
                {tr.t(k === 'folder' ? 'restore.from.otherFolder' : 'restore.from.otherWebdav')}
              </label>
            ))}
          </fieldset>
          {r.otherKind === 'folder' ? (
            <Field label={tr.t('restore.from.folderPath')} value={r.folderPath} onValue={(folderPath) => restoreChanged({ folderPath })} spellCheck={false} />
          ) : (
            <div className="form-grid">
              <Field label={tr.t('setup.cloud.url')} type="url" className="span-2" value={r.webdav.url} onValue={(url) => restoreChanged({ webdav: { ...r.webdav, url } })} spellCheck={false} />
              <Field label={tr.t('setup.cloud.user')} value={r.webdav.username} onValue={(username) => restoreChanged({ webdav: { ...r.webdav, username } })} spellCheck={false} />
              <Field label={tr.t('setup.cloud.password')} type="password" value={r.webdav.password} onValue={(password) => restoreChanged({ webdav: { ...r.webdav, password } })} />
            </div>
          )}
          <p className="field-hint">{tr.t('restore.from.needSecret')}</p>
          <SecretInput kind={r.secretKind} value={r.secret} onKind={(secretKind) => restoreChanged({ secretKind })} onValue={(secret) => restoreChanged({ secret })} />
        </div>
      )}
      {r.error && <ErrorMessage error={r.error} vars={{ label: usb?.label ?? '', host: hostOf(r.from === 'cloud' ? (cloud?.label ?? '') : r.webdav.url) }} />}
    </div>
  );
}
