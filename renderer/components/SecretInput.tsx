// @jsxRuntime automatic
/** Passphrase or recovery key: a choice of which one, then the field. Produces a SecretDto. */
import { useId } from 'react';
import type { SecretDto } from '../../electron/contract/api.js';
import { useT } from '../i18n/use-t.js';
import { Field } from './Field.js';

export type SecretKind = 'passphrase' | 'recoveryKey';

export function toSecret(kind: SecretKind, value: string): SecretDto | null {
  if (!value.trim()) return null;
  return kind === 'passphrase' ? { passphrase: value } : { recoveryKey: value.trim() };
}

export function SecretInput(props: { kind: SecretKind; value: string; onKind: (k: SecretKind) => void; onValue: (v: string) => void; error?: string | null }) {
  const tr = useT();
  const name = useId();
  return (
    <fieldset className="secret-input">
      <legend>{tr.t('restore.secret.value')}</legend>
      <div className="radio-row">
        {(['passphrase', 'recoveryKey'] as const).map((k) => (
          <label key={k} className="radio">
            <input type="radio" name={name} checked={props.kind === k} onChange={() => props.onKind(k)} />
            {tr.t(k === 'passphrase' ? 'restore.secret.passphrase' : 'restore.secret.recovery')}
          </label>
        ))}
      </div>
      <Field
        label={tr.t(props.kind === 'passphrase' ? 'restore.secret.typePassphrase' : 'restore.secret.typeRecovery')}
        type={props.kind === 'passphrase' ? 'password' : 'text'}
        autoComplete="off"
        spellCheck={false}
        value={props.value}
        onValue={props.onValue}
        error={props.error}
      />
    </fieldset>
  );
}
