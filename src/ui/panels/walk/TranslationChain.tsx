// What one walk translated: gVA -> gPA -> hPA for the two-dimensional walk (the gPA is the guest
// leaf's page plus the offset), VA -> PA for a native walk; a fault ends the chain early.

import { messages } from '../../messages/index.ts';
import type { WalkEvent } from './layout.ts';
import { translationChain } from './va.ts';
import './walk.css';

const t = messages.walk;

export interface TranslationChainProps {
  walk: WalkEvent;
}

export function TranslationChain({ walk }: TranslationChainProps) {
  const c = translationChain(walk);
  const steps: { name: string; value: string | null; kind: string }[] = c.dims === 2
    ? [{ name: t.gva, value: c.va, kind: 'gva' }, { name: t.gpa, value: c.gpa, kind: 'gpa' }, { name: t.hpa, value: c.pa, kind: 'hpa' }]
    : [{ name: t.va, value: c.va, kind: 'va' }, { name: t.pa, value: c.pa, kind: 'pa' }];
  return (
    <section className="walk-panel walk-chain" aria-label={t.chainLabel}>
      <ol className="walk-chain-steps">
        {steps.map((s, i) => (
          <li key={s.kind} className={`walk-chain-step ${s.kind}${s.value === null ? ' missing' : ''}`} data-kind={s.kind}>
            {i > 0 && <span className="walk-arrow" aria-hidden="true">→</span>}
            <span className="walk-chain-name">{s.name}</span>{' '}
            <code className="walk-chain-value">{s.value ?? (walk.fault !== null ? t.chainFault : t.chainUnknown)}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}
