// @jsxRuntime automatic
/** Français / English switch (saved in the settings once they exist). */
import { LANGS } from '../../../locales/index.js';
import { Segmented } from '../../components/Segmented.js';
import { useT } from '../../i18n/use-t.js';
import { useStore } from '../../store/index.js';

export function LanguageSwitch() {
  const tr = useT();
  const languageChosen = useStore((s) => s.languageChosen);
  return (
    <Segmented
      className="language-switch"
      label={tr.t('lang.label')}
      value={tr.lang}
      onChange={(lang) => void languageChosen(lang)}
      options={LANGS.map((lang) => ({ value: lang, label: tr.t(`lang.${lang}`), lang }))}
    />
  );
}
