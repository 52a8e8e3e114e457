// @jsxRuntime automatic
/** A small status icon (always paired with text: colour and shape are never the only signal). */
import type { Tone } from '../lib/status-text.js';

const PATHS: Record<Tone, string> = {
  ok: 'M6 12.5l4 4 8-9',
  warn: 'M12 7v6M12 16.5v.5',
  bad: 'M8 8l8 8M16 8l-8 8',
  busy: 'M12 5a7 7 0 1 1-7 7',
  idle: 'M8 12h8',
};

export function StatusIcon({ tone, size = 24 }: { tone: Tone; size?: number }) {
  return (
    <svg className={`status-icon tone-${tone}`} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="11" className="status-icon-bg" />
      <path d={PATHS[tone]} className="status-icon-mark" />
    </svg>
  );
}
