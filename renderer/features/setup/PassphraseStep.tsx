// @jsxRuntime automatic
/** Setup step 4: the passphrase, typed twice, with its strength shown. */
import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Checkbox, Field } from '../../components/Field.js';
import { StrengthMeter } from '../../components/StrengthMeter.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';

export function PassphraseStep() {
  const tr = useT();
  const setup = useStore((s) => s.setup);
  const setupChanged = useStore((s) => s.setupChanged);
  const [show, setShow] = useState(false);
  const mismatch = setup.passphraseAgain.length > 0 && setup.passphrase !== setup.passphraseAgain;
  return (
    <div className="step-body">
      <h2>{tr.t('setup.pass.title')}</h2>
      <p className="lead">{tr.t('setup.pass.help')}</p>
      <Field
        label={tr.t('setup.pass.first')}
        type={show ? 'text' : 'password'}
        autoComplete="new-password"
        value={setup.passphrase}
        onValue={(passphrase) => setupChanged({ passphrase })}
        hint={<StrengthMeter passphrase={setup.passphrase} />}
      />
      <Field
        label={tr.t('setup.pass.second')}
        type={show ? 'text' : 'password'}
        autoComplete="new-password"
        value={setup.passphraseAgain}
        onValue={(passphraseAgain) => setupChanged({ passphraseAgain })}
        error={mismatch ? tr.t('setup.pass.mismatch') : null}
      />
      <Checkbox label={tr.t('setup.pass.show')} checked={show} onChecked={setShow} />
      {setup.error && <ErrorMessage error={setup.error} />}
    </div>
  );
}
