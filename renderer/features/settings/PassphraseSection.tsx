// @jsxRuntime automatic
/** Changes the passphrase (needs the current one or the recovery key; the recovery key stays valid). */
import { useState } from 'react';
import { Field } from '../../components/Field.js';
import { SecretInput, toSecret, type SecretKind } from '../../components/SecretInput.js';
import { StrengthMeter } from '../../components/StrengthMeter.js';
import { useT } from '../../i18n/use-t.js';
import { passphraseProblem } from '../../lib/passphrase.js';
import { api } from '../../store/client-ref.js';
import { SectionFooter } from './SectionFooter.js';
import { useSaver } from './use-saver.js';

export function PassphraseSection() {
  const tr = useT();
  const saver = useSaver();
  const [kind, setKind] = useState<SecretKind>('passphrase');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const problem = passphraseProblem(next, again);
  const currentSecret = toSecret(kind, current);
  return (
    <form
      className="settings-section"
      aria-labelledby="settings-passphrase"
      onSubmit={async (e) => {
        e.preventDefault();
        if (problem || !currentSecret) return;
        if (await saver.run(() => api().changePassphrase({ current: currentSecret, next }))) {
          setCurrent('');
          setNext('');
          setAgain('');
        }
      }}
    >
      <h2 id="settings-passphrase">{tr.t('settings.passphrase')}</h2>
      <SecretInput kind={kind} value={current} onKind={setKind} onValue={setCurrent} />
      <Field label={tr.t('settings.passphrase.next')} type="password" autoComplete="new-password" value={next} onValue={setNext}
        hint={<StrengthMeter passphrase={next} />} error={next && problem === 'weak' ? tr.t('setup.pass.weak') : null} />
      <Field label={tr.t('settings.passphrase.repeat')} type="password" autoComplete="new-password" value={again} onValue={setAgain}
        error={again && again !== next ? tr.t('setup.pass.mismatch') : null} />
      <SectionFooter {...saver} label={tr.t('settings.passphrase.change')} savedText={tr.t('settings.passphrase.changed')} disabled={problem !== null || !currentSecret} />
    </form>
  );
}
