// @jsxRuntime automatic
/** The wizard's step list: where you are, what is done, what comes next. */
export function Steps({ labels, current, label }: { labels: string[]; current: number; label: string }) {
  return (
    <ol className="steps" aria-label={label}>
      {labels.map((text, i) => (
        <li key={text} className={i === current ? 'current' : i < current ? 'done' : ''} aria-current={i === current ? 'step' : undefined}>
          <span className="steps-number" aria-hidden="true">{i < current ? '✓' : i + 1}</span>
          <span className="steps-label">{text}</span>
        </li>
      ))}
    </ol>
  );
}
