// @jsxRuntime automatic
/** Passphrase strength as four segments plus words (not colour alone); the words are what screen readers get. */
import { useT } from '../i18n/use-t.js';
import { passphraseStrength } from '../lib/passphrase.js';

export function StrengthMeter({ passphrase }: { passphrase: string }) {
  const tr = useT();
  const score = passphraseStrength(passphrase);
  const tone = !passphrase ? 'idle' : score < 2 ? 'bad' : score < 3 ? 'warn' : 'ok';
  const filled = passphrase ? Math.max(1, score) : 0;
  return (
    <span className={`strength tone-${tone}`} data-score={passphrase ? score : undefined}>
      <span className="strength-bars" aria-hidden="true">
        {[1, 2, 3, 4].map((i) => (
          <span key={i} className={i <= filled ? 'on' : ''} />
        ))}
      </span>
      <span className="strength-text" aria-live="polite">
        {tr.t('strength.value', { value: passphrase ? tr.t(`strength.${score}`) : '—' })}
      </span>
    </span>
  );
}
