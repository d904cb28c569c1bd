// Small accessibility helpers shared by the machine panels: text only screen readers see, the
// user's reduced-motion preference, and a DOM-safe unique id.

import { useEffect, useId, useState, type ReactNode } from 'react';

export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}

const QUERY = '(prefers-reduced-motion: reduce)';

/** True when the user asked for less motion (animations then jump to their end). */
export function usePrefersReducedMotion(): boolean {
  const query = () => (typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(QUERY) : null);
  const [reduce, setReduce] = useState(() => query()?.matches ?? false);
  useEffect(() => {
    const mq = query();
    if (!mq) return;
    const on = () => setReduce(mq.matches);
    mq.addEventListener?.('change', on);
    return () => mq.removeEventListener?.('change', on);
  }, []);
  return reduce;
}

/** useId, made safe for SVG url(#id) references and CSS selectors. */
export function useDomId(prefix: string): string {
  return prefix + '-' + useId().replace(/[^a-zA-Z0-9_-]/g, '');
}
