// @jsxRuntime automatic
/** Setup step 3: the WebDAV server, with « Tester la connexion » showing free space or a plain error. */
import { formatBytes } from '../../../locales/index.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { hostOf } from '../../lib/webdav-url.js';
import { useStore } from '../../store/index.js';

export function CloudStep() {
  const tr = useT();
  const setup = useStore((s) => s.setup);
  const setupChanged = useStore((s) => s.setupChanged);
  const cloudTestRequested = useStore((s) => s.cloudTestRequested);
  const { cloud, cloudTest } = setup;
  const change = (p: Partial<typeof cloud>) => setupChanged({ cloud: { ...cloud, ...p }, cloudSkipped: false });
  return (
    <div className="step-body">
      <h2>{tr.t('setup.cloud.title')}</h2>
      <p className="lead">{tr.t('setup.cloud.help')}</p>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void cloudTestRequested();
        }}
      >
        <Field label={tr.t('setup.cloud.url')} type="url" inputMode="url" placeholder={tr.t('setup.cloud.urlPlaceholder')} value={cloud.url} onValue={(url) => change({ url })} spellCheck={false} className="span-2" />
        <Field label={tr.t('setup.cloud.user')} autoComplete="username" value={cloud.username} onValue={(username) => change({ username })} spellCheck={false} />
        <Field label={tr.t('setup.cloud.password')} type="password" autoComplete="new-password" value={cloud.password} onValue={(password) => change({ password })} />
        <div className="span-2">
          <button type="submit" className="button-secondary" disabled={!cloud.url || cloudTest.state === 'testing'}>
            {tr.t(cloudTest.state === 'testing' ? 'setup.cloud.testing' : 'setup.cloud.test')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {cloudTest.state === 'ok' && (
          <p className="notice notice-ok" data-testid="cloud-test-ok">
            {cloudTest.result.freeBytes !== null
              ? tr.t('setup.cloud.ok', { free: formatBytes(cloudTest.result.freeBytes, tr.lang) })
              : tr.t('setup.cloud.okNoFree')}
            {cloudTest.result.hasRepository && <> {tr.t('setup.cloud.hasRepository')}</>}
          </p>
        )}
      </div>
      {cloudTest.state === 'error' && <ErrorMessage error={cloudTest.error} vars={{ host: hostOf(cloud.url), label: hostOf(cloud.url) }} />}
      {setup.cloudSkipped && <p className="notice notice-warn">{tr.t('setup.skipWarning')}</p>}
    </div>
  );
}
