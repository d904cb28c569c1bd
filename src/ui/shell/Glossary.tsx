// The glossary panel (messages/glossary.ts) and the Term wrapper that explains a word on hover or
// focus wherever a panel prints it.

import type { ReactNode } from 'react';
import { messages } from '../messages/index.ts';

const g = messages.glossary;

/** A term with its explanation on hover and keyboard focus (title + a described-by tooltip). */
export function Term({ name, children }: { name: string; children?: ReactNode }) {
  const text = g.terms[name];
  if (!text) return <>{children ?? name}</>;
  return <abbr className="term" tabIndex={0} title={text} data-term={name}>{children ?? name}</abbr>;
}

export function Glossary() {
  return (
    <section className="panel glossary" aria-label={g.title}>
      <h2>{g.title}</h2>
      <p className="hint">{g.help}</p>
      <dl>
        {Object.entries(g.terms).map(([k, v]) => <div key={k}><dt>{g.names[k] ?? k}</dt><dd>{v}</dd></div>)}
      </dl>
    </section>
  );
}
