// @jsxRuntime automatic
/** Updates the cloud's app password (after the server started refusing the old one). */
import { useState } from 'react';
import { Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { api } from '../../store/client-ref.js';
import { useStore } from '../../store/index.js';
import { SectionFooter } from './SectionFooter.js';
import { useSaver } from './use-saver.js';

export function CloudPasswordForm() {
  const tr = useT();
  const saver = useSaver();
  const [password, setPassword] = useState('');
  return (
    <form
      className="settings-section compact"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!password) return;
        if (await saver.run(() => api().setWebdavPassword({ password }))) {
          setPassword('');
          void useStore.getState().statusRequested();
        }
      }}
    >
      <Field label={tr.t('settings.cloudPassword')} type="password" autoComplete="new-password" value={password} onValue={setPassword} />
      <SectionFooter {...saver} label={tr.t('settings.cloudPasswordSave')} savedText={tr.t('settings.cloudPasswordSaved')} disabled={!password} />
    </form>
  );
}
