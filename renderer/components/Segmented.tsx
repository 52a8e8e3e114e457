// @jsxRuntime automatic
/**
 * A small single-choice control (radio group of buttons) with the keyboard behaviour screen-reader users expect:
 * one tab stop, arrow keys move and select, Home/End jump.
 */
import { useRef, type KeyboardEvent } from 'react';

export interface SegmentedOption<V extends string> {
  value: V;
  label: string;
  lang?: string;
}

export function Segmented<V extends string>({ options, value, onChange, label, className }: { options: SegmentedOption<V>[]; value: V; onChange: (v: V) => void; label: string; className?: string }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const index = Math.max(0, options.findIndex((o) => o.value === value));
  const move = (to: number) => {
    const i = (to + options.length) % options.length;
    onChange(options[i].value);
    refs.current[i]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, number> = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: options.length - 1 };
    if (e.key in keys) {
      e.preventDefault();
      move(keys[e.key]);
    }
  };
  return (
    <div className={`segmented ${className ?? ''}`} role="radiogroup" aria-label={label} onKeyDown={onKeyDown}>
      {options.map((o, i) => (
        <button
          key={o.value}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          tabIndex={o.value === value ? 0 : -1}
          className={o.value === value ? 'selected' : ''}
          lang={o.lang}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
