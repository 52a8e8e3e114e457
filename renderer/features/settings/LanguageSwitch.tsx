// @jsxRuntime automatic
/** Français / English switch (saved in the settings once they exist). */
import { LANGS } from '../../../locales/index.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';

export function LanguageSwitch() {
  const tr = useT();
  const languageChosen = useStore((s) => s.languageChosen);
  return (
    <div className="segmented language-switch" role="radiogroup" aria-label={tr.t('lang.label')}>
      {LANGS.map((lang) => (
        <button key={lang} type="button" role="radio" aria-checked={tr.lang === lang} className={tr.lang === lang ? 'selected' : ''} lang={lang} onClick={() => void languageChosen(lang)}>
          {tr.t(`lang.${lang}`)}
        </button>
      ))}
    </div>
  );
}
