// @jsxRuntime automatic
/** An accessible progress bar; indeterminate when the total is not known yet. */
export function ProgressBar({ value, max, label }: { value: number; max: number | null; label: string }) {
  const pct = max && max > 0 ? Math.min(100, Math.round((value / max) * 100)) : null;
  return (
    <div
      className={`progress ${pct === null ? 'progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      {/* React applies `style` through the CSSOM (not a style attribute), which a strict CSP allows. */}
      <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
