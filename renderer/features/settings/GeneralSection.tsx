// @jsxRuntime automatic
/** Language, start at login, restore-drill interval. */
import { useState } from 'react';
import type { SettingsDto } from '../../../electron/contract/api.js';
import { Checkbox } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { NumberField, parseWhole } from './NumberField.js';
import { SectionFooter } from './SectionFooter.js';
import { useSaver } from './use-saver.js';

export function GeneralSection({ settings }: { settings: SettingsDto }) {
  const tr = useT();
  const saver = useSaver();
  const [startAtLogin, setStartAtLogin] = useState(settings.startAtLogin);
  const [drill, setDrill] = useState(String(settings.drillIntervalDays));
  const drillDays = parseWhole(drill);
  return (
    <form
      className="settings-section"
      aria-labelledby="settings-general"
      onSubmit={(e) => {
        e.preventDefault();
        if (drillDays) void saver.save({ startAtLogin, drillIntervalDays: drillDays });
      }}
    >
      <h2 id="settings-general">{tr.t('settings.general')}</h2>
      <div className="field">
        <span className="label">{tr.t('settings.language')}</span>
        <LanguageSwitch />
      </div>
      <Checkbox label={tr.t('settings.startAtLogin')} checked={startAtLogin} onChecked={setStartAtLogin} />
      <NumberField label={tr.t('settings.drill')} value={drill} onValue={setDrill} />
      <SectionFooter {...saver} disabled={!drillDays} />
    </form>
  );
}
