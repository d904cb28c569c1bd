// Parts of the page that stay mounted while layouts change: the lesson player (a layout moves its
// text between a panel slot and the docked column; a remount would replay the step a second time)
// and the program view (a recorded run re-lays the page; a remount would lose CodeMirror's undo
// history, its focus and the open file). Each renders once, into a DOM node that whichever slot is
// on screen adopts. Focus inside a node moved between slots is given back after the move.

import { createContext, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface Kept { el: HTMLElement; /** The element that had focus when the node left its slot. */ focus: HTMLElement | null }
const HostContext = createContext<ReadonlyMap<string, Kept> | null>(null);

/** Renders each of `keep` once, into a node handed to the KeptSlot of the same id on screen. */
export function KeepMounted({ children, keep }: { children: ReactNode; keep: Record<string, ReactNode> }) {
  const ids = Object.keys(keep).join(',');
  const nodes = useMemo(() => new Map<string, Kept>(typeof document === 'undefined' ? [] : ids.split(',').map((id) => {
    const el = document.createElement('div');
    el.className = `kept kept-${id}`;
    return [id, { el, focus: null }];
  })), [ids]);
  return (
    <HostContext.Provider value={nodes}>
      {children}
      {[...nodes].map(([id, k]) => createPortal(keep[id], k.el, id))}
    </HostContext.Provider>
  );
}

/** Where the kept part `id` shows in the current layout. Layout effects: the old slot lets go
 *  (noting the focus) before its DOM is removed, and the new one adopts the node before paint. */
export function KeptSlot({ id, className }: { id: string; className?: string }) {
  const k = useContext(HostContext)?.get(id);
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const slot = ref.current;
    if (!slot || !k) return;
    slot.appendChild(k.el);
    const f = k.focus;
    k.focus = null;
    if (f && f.isConnected && k.el.contains(f)) f.focus({ preventScroll: true });
    return () => {
      const active = document.activeElement;
      if (active instanceof HTMLElement && k.el.contains(active)) k.focus = active;
      if (k.el.parentNode === slot) slot.removeChild(k.el);
    };
  }, [k]);
  return <div ref={ref} className={className ?? `kept-slot kept-slot-${id}`} />;
}

/** Where the lesson text shows (a panel slot, or the docked column). */
export function LessonSlot() {
  return <KeptSlot id="lesson" className="lesson-slot" />;
}
