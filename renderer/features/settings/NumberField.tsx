// @jsxRuntime automatic
/** A whole-number field that keeps what is typed as text and reports whether it is valid. */
import { Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';

export function parseWhole(text: string, allowMinusOne = false): number | null {
  if (!/^-?\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= 0 || (allowMinusOne && n === -1) ? n : null;
}

export function NumberField({ label, value, onValue, allowMinusOne, optional }: { label: string; value: string; onValue: (v: string) => void; allowMinusOne?: boolean; optional?: boolean }) {
  const tr = useT();
  const bad = !(optional && value.trim() === '') && parseWhole(value, allowMinusOne) === null;
  return <Field label={label} inputMode="numeric" value={value} onValue={onValue} error={bad ? tr.t('settings.numberInvalid') : null} className="narrow" />;
}
