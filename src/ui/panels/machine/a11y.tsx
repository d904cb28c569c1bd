// Small accessibility helpers shared by the machine panels: text only screen readers see, the
// user's reduced-motion preference, and a DOM-safe unique id.

import { useId, type ReactNode } from 'react';
import { useReducedMotion } from '../../shared/motion.ts';

export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}

/** True when the user asked for less motion (animations then jump to their end). */
export const usePrefersReducedMotion = useReducedMotion;

/** useId, made safe for SVG url(#id) references and CSS selectors. */
export function useDomId(prefix: string): string {
  return prefix + '-' + useId().replace(/[^a-zA-Z0-9_-]/g, '');
}
