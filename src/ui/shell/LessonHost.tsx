// The lesson player stays mounted while layouts change (a layout moves its text between a panel
// slot and the docked column): it renders once, into a DOM node that each slot adopts. A remount
// would replay the step (its program and its goTo) a second time.

import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const HostContext = createContext<HTMLElement | null>(null);

/** Renders `children` once, into a node handed to whichever LessonSlot is on screen. */
export function LessonHost({ children, render }: { children: ReactNode; render: ReactNode }) {
  const el = useMemo(() => (typeof document !== 'undefined' ? document.createElement('div') : null), []);
  if (el) el.className = 'lesson-host';
  return (
    <HostContext.Provider value={el}>
      {children}
      {el && createPortal(render, el)}
    </HostContext.Provider>
  );
}

/** Where the lesson text shows in the current layout. */
export function LessonSlot() {
  const el = useContext(HostContext);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const slot = ref.current;
    if (!slot || !el) return;
    slot.appendChild(el);
    return () => { if (el.parentNode === slot) slot.removeChild(el); };
  }, [el]);
  return <div ref={ref} className="lesson-slot" />;
}
