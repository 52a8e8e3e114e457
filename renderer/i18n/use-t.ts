/** React access to the strings of the current language (from the store). */
import { useMemo } from 'react';
import type { ErrorInfo } from '../../electron/contract/errors.js';
import { errorText, t, tn, type ErrorText, type Lang, type UiKey, type Vars } from '../../locales/index.js';
import { useStore } from '../store/index.js';

export interface Translator {
  lang: Lang;
  t(key: UiKey, vars?: Vars): string;
  tn(key: Parameters<typeof tn>[1], count: number, vars?: Vars): string;
  err(error: ErrorInfo, vars?: Vars): ErrorText;
}

export function translator(lang: Lang): Translator {
  return {
    lang,
    t: (key, vars) => t(lang, key, vars),
    tn: (key, count, vars) => tn(lang, key, count, vars),
    err: (error, vars) => errorText(lang, error.code, { ...vars, ...error.details }),
  };
}

export function useT(): Translator {
  const lang = useStore((s) => s.lang);
  return useMemo(() => translator(lang), [lang]);
}
