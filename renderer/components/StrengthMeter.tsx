/** Passphrase strength as a labelled meter (text + bar, not colour alone). */
import { useT } from '../i18n/use-t.js';
import { passphraseStrength } from '../lib/passphrase.js';

export function StrengthMeter({ passphrase }: { passphrase: string }) {
  const tr = useT();
  const score = passphraseStrength(passphrase);
  const tone = score < 2 ? 'bad' : score < 3 ? 'warn' : 'ok';
  return (
    <div className="strength" data-score={score}>
      <meter className={`strength-meter tone-${tone}`} min={0} max={4} low={1.5} high={2.5} optimum={4} value={passphrase ? score + 0.001 : 0} aria-label={tr.t('strength.label')} />
      <span className="strength-text" aria-live="polite">
        {tr.t('strength.value', { value: passphrase ? tr.t(`strength.${score}`) : '—' })}
      </span>
    </div>
  );
}
