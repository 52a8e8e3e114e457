/** Moves keyboard and screen-reader focus to the first heading of a wizard step whenever the step changes. */
import { useEffect, useRef } from 'react';

export function useFocusHeading<T extends HTMLElement>(step: number) {
  const container = useRef<T>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = container.current?.querySelector<HTMLElement>('h2');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }, [step]);
  return container;
}
