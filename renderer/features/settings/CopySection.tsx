// @jsxRuntime automatic
/** Settings of one copy (USB drive or cloud): active, schedule, stale warning, retention, ping URL, cloud bandwidth. */
import { useState } from 'react';
import type { CloudTargetDto, UsbTargetDto } from '../../../electron/contract/api.js';
import { Checkbox, Field } from '../../components/Field.js';
import { useT } from '../../i18n/use-t.js';
import { scheduleProblem } from '../../lib/schedule-text.js';
import { NumberField, parseWhole } from './NumberField.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import { SectionFooter } from './SectionFooter.js';
import { useSaver } from './use-saver.js';

type Copy = { kind: 'usb'; target: UsbTargetDto } | { kind: 'cloud'; target: CloudTargetDto };

export function CopySection(props: Copy) {
  const tr = useT();
  const t = props.target;
  const saver = useSaver();
  const [enabled, setEnabled] = useState(t.enabled);
  const [schedule, setSchedule] = useState(t.schedule);
  const [stale, setStale] = useState(String(t.staleAfterHours));
  const [ret, setRet] = useState({ d: String(t.retention.keepDaily), w: String(t.retention.keepWeekly), m: String(t.retention.keepMonthly), y: String(t.retention.keepYearly) });
  const [ping, setPing] = useState(t.pingUrl ?? '');
  const [onPlug, setOnPlug] = useState(props.kind === 'usb' ? props.target.onPlug : false);
  const [bandwidth, setBandwidth] = useState(props.kind === 'cloud' && props.target.bandwidthLimitKBps ? String(props.target.bandwidthLimitKBps) : '');

  const numbers = {
    stale: parseWhole(stale), d: parseWhole(ret.d), w: parseWhole(ret.w), m: parseWhole(ret.m), y: parseWhole(ret.y, true),
    bw: bandwidth.trim() === '' ? undefined : parseWhole(bandwidth),
  };
  const invalid = Object.values(numbers).some((v) => v === null) || scheduleProblem(schedule) !== null || numbers.stale === 0;

  const submit = () => {
    if (invalid) return;
    const common = {
      enabled, schedule, staleAfterHours: numbers.stale!, pingUrl: ping.trim() || undefined,
      retention: { keepDaily: numbers.d!, keepWeekly: numbers.w!, keepMonthly: numbers.m!, keepYearly: numbers.y! },
    };
    if (props.kind === 'usb') void saver.save({ usb: { ...props.target, ...common, onPlug } });
    else void saver.save({ cloud: { ...props.target, ...common, bandwidthLimitKBps: numbers.bw ?? undefined } });
  };

  return (
    <form className="settings-section" aria-labelledby={`settings-${props.kind}`} onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h2 id={`settings-${props.kind}`}>
        {tr.t(props.kind === 'usb' ? 'settings.usb' : 'settings.cloud')}
        <span className="muted"> — {props.kind === 'usb' ? tr.t('card.driveLabel', { label: props.target.label }) : props.target.url}</span>
      </h2>
      <Checkbox label={tr.t('settings.enabled')} checked={enabled} onChecked={setEnabled} />
      <ScheduleEditor value={schedule} onChange={setSchedule} />
      {props.kind === 'usb' && <Checkbox label={tr.t('settings.onPlug')} checked={onPlug} onChecked={setOnPlug} />}
      <NumberField label={tr.t('settings.stale')} value={stale} onValue={setStale} />
      <fieldset className="retention">
        <legend>{tr.t('settings.retention')}</legend>
        <p className="muted retention-recent">{tr.t('settings.retention.recent')}</p>
        <div className="form-grid four">
          <NumberField label={tr.t('settings.retention.daily')} value={ret.d} onValue={(d) => setRet({ ...ret, d })} />
          <NumberField label={tr.t('settings.retention.weekly')} value={ret.w} onValue={(w) => setRet({ ...ret, w })} />
          <NumberField label={tr.t('settings.retention.monthly')} value={ret.m} onValue={(m) => setRet({ ...ret, m })} />
          <NumberField label={tr.t('settings.retention.yearly')} value={ret.y} onValue={(y) => setRet({ ...ret, y })} allowMinusOne />
        </div>
      </fieldset>
      {props.kind === 'cloud' && <NumberField label={tr.t('settings.bandwidth')} value={bandwidth} onValue={setBandwidth} optional />}
      <Field label={tr.t('settings.pingUrl')} type="url" value={ping} onValue={setPing} spellCheck={false} />
      <SectionFooter {...saver} disabled={invalid} />
    </form>
  );
}
