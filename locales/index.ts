/**
 * Every user-facing string, per language (fr default, en). Shared by the renderer and the host (notifications).
 *   t(lang, key, vars)          → one string with {placeholders} filled
 *   tn(lang, key, count, vars)  → plural: picks key_one / key_other (French: 0 and 1 are singular)
 *   errorText(lang, code, vars) → { sentence, action } for an ErrorCode
 * Formatting helpers (dates « hier à 19 h 32 », sizes « 1,2 Go », durations) are re-exported from ./format.ts.
 * locales/ may import only electron/contract/.
 */
import type { ErrorCode } from '../electron/contract/errors.js';
import { errors as frErrors, type ErrorText } from './fr/errors.js';
import { errors as enErrors } from './en/errors.js';
import { ui as frUi } from './fr/ui.js';
import { setup as frSetup } from './fr/setup.js';
import { restore as frRestore } from './fr/restore.js';
import { settings as frSettings } from './fr/settings.js';
import { ui as enUi } from './en/ui.js';
import { setup as enSetup } from './en/setup.js';
import { restore as enRestore } from './en/restore.js';
import { settings as enSettings } from './en/settings.js';
import { interpolate, type Lang } from './format.js';

export * from './format.js';
export type { ErrorText };

const fr = { ...frUi, ...frSetup, ...frRestore, ...frSettings };
export type UiKey = keyof typeof fr;
const en: Record<UiKey, string> = { ...enUi, ...enSetup, ...enRestore, ...enSettings };

export const LANGS: readonly Lang[] = ['fr', 'en'];
export const DEFAULT_LANG: Lang = 'fr';
export const STRINGS: Record<Lang, Record<UiKey, string>> = { fr, en };
export const ERROR_TEXTS: Record<Lang, Record<ErrorCode, ErrorText>> = { fr: frErrors, en: enErrors };

export type Vars = Record<string, string | number | boolean | undefined | null>;

export function isLang(value: unknown): value is Lang {
  return value === 'fr' || value === 'en';
}

export function t(lang: Lang, key: UiKey, vars?: Vars): string {
  return interpolate(STRINGS[lang][key] ?? STRINGS.fr[key] ?? key, vars);
}

type PluralBase = UiKey extends infer K ? (K extends `${infer B}_one` ? B : never) : never;

export function tn(lang: Lang, key: PluralBase, count: number, vars?: Vars): string {
  const form = (lang === 'fr' ? count < 2 : count === 1) ? 'one' : 'other';
  return t(lang, `${key}_${form}` as UiKey, { count: formatCount(count, lang), ...vars });
}

function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB').format(n);
}

/** The plain sentence and action for an error; unknown codes fall back to UNKNOWN. */
export function errorText(lang: Lang, code: ErrorCode, vars?: Vars): ErrorText {
  const entry = ERROR_TEXTS[lang][code] ?? ERROR_TEXTS[lang].UNKNOWN;
  return { sentence: interpolate(entry.sentence, vars), action: interpolate(entry.action, vars) };
}
