// The privilege map: VMX root beside VMX non-root, ring 3 above ring 0, where the CPU is now, and
// the last ring change / VM exit / VM entry / system call animated with its cause and cost.

import { useEffect, useMemo, useRef } from 'react';
import type { TraceEvent, Vmx } from '../../../engine/trace/events.ts';
import type { ProcView } from '../../../engine/player/view.ts';
import { messages } from '../../messages/index.ts';
import { membersOf, moveOf, regionOf, REGION_IDS } from './regions.ts';
import { renderPrivilegeMap, type PrivMapData } from './privilegeMapRender.ts';
import { useDomId, usePrefersReducedMotion } from './a11y.tsx';
import './machine.css';
import { useLocale } from '../../messages/useLocale.ts';

const t = messages.machine;

export interface PrivilegeMapProps {
  vmx: Vmx;
  cpl: 0 | 3;
  /** A `ring`, `vmexit`, `vmentry`, `syscall` (or `exception`) event to animate; others are ignored. */
  transition?: TraceEvent | null;
  /** Its cost in cycles, shown beside its cause. */
  costCycles?: number;
  procs?: ProcView[];
}

export function PrivilegeMap({ vmx, cpl, transition, costCycles, procs }: PrivilegeMapProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const reducedMotion = usePrefersReducedMotion();
  const id = useDomId('pm');
  const here = regionOf(vmx, cpl);
  const locale = useLocale();
  const move = useMemo(() => (transition ? moveOf(transition, costCycles) : null), [transition, costCycles, locale]);
  const data = useMemo<PrivMapData>(() => {
    const members = membersOf(procs);
    return {
      cpuLabel: t.cpuHere,
      move,
      regions: REGION_IDS.map((r) => ({ id: r, ...t.regions[r], members: members[r], current: r === here })),
    };
  }, [procs, move, here, locale]);

  useEffect(() => {
    if (svgRef.current) renderPrivilegeMap(svgRef.current, data, { reducedMotion, idPrefix: id });
  }, [data, reducedMotion, id]);

  const where = t.regions[here];
  return (
    <section className="panel machine-panel privilege-map" aria-labelledby={`${id}-h`} tabIndex={0}>
      <h2 id={`${id}-h`}>{t.privTitle}</h2>
      <p className="hint">{t.privHelp}</p>
      {/* The picture is drawn by renderPrivilegeMap; React owns only the element. */}
      <svg ref={svgRef} role="img" aria-labelledby={`${id}-h ${id}-desc`} className="pm-svg" />
      <p id={`${id}-desc`} className="pm-status" aria-live="polite" data-testid="pm-status">
        {t.cpuNow(where.title, where.who)}
        {move && ' ' + t.transitionNow(move.label, t.regions[move.from].title, t.regions[move.to].title)}
      </p>
    </section>
  );
}
