// @jsxRuntime automatic
/** Proposes a restore drill when one is due: reads the copy back and compares it, without touching the shop's files. */
import { useState } from 'react';
import type { TargetStatusDto } from '../../../electron/contract/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { SecretInput, toSecret, type SecretKind } from '../../components/SecretInput.js';
import { useT } from '../../i18n/use-t.js';
import { copyName } from '../../lib/status-text.js';
import { useStore } from '../../store/index.js';

export function DrillPanel({ target }: { target: TargetStatusDto }) {
  const tr = useT();
  const drill = useStore((s) => s.drill);
  const drillOpened = useStore((s) => s.drillOpened);
  const drillRequested = useStore((s) => s.drillRequested);
  const [secret, setSecret] = useState('');
  const [kind, setKind] = useState<SecretKind>('passphrase');
  const mine = drill?.target === target.kind ? drill : null;
  const dto = toSecret(kind, secret);

  return (
    <section className="notice notice-info drill" aria-labelledby={`drill-${target.kind}`}>
      <h2 id={`drill-${target.kind}`}>{tr.t('drill.title')}</h2>
      <p>{tr.t('drill.body', { copy: copyName(tr, target, true) })}</p>
      {!mine && (
        <button type="button" className="button-secondary" onClick={() => drillOpened(target.kind)}>
          {tr.t('drill.start')}
        </button>
      )}
      {mine && !mine.result && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (dto) void drillRequested(target.kind, dto);
          }}
        >
          <SecretInput kind={kind} value={secret} onKind={setKind} onValue={setSecret} />
          <button type="submit" disabled={!dto || mine.running}>
            {mine.running ? tr.t('common.working') : tr.t('drill.start')}
          </button>
        </form>
      )}
      {mine?.error && <ErrorMessage error={mine.error} vars={{ label: target.label, host: target.label }} />}
      {mine?.result && (
        <p className={mine.result.ok ? 'tone-ok-text' : 'tone-bad-text'} role="status">
          {mine.result.ok
            ? tr.t('drill.ok', { matching: mine.result.filesMatching, checked: mine.result.filesChecked })
            : tr.t('drill.failed', { count: mine.result.mismatches.length })}
        </p>
      )}
    </section>
  );
}
