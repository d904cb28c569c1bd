// The view setting that turns the single-key shortcuts on or off (WCAG 2.1.4; see shortcuts.ts).

import { useId } from 'react';
import { a11y as msg } from '../messages/index.ts';
import { setSingleKeys, useSingleKeys } from './shortcuts.ts';

export function ShortcutsToggle() {
  const on = useSingleKeys();
  const id = useId();
  return (
    <span className="shortcuts-toggle" title={msg.singleKeysHelp}>
      <label>
        <input type="checkbox" checked={on} aria-describedby={`${id}-help`} onChange={(e) => setSingleKeys(e.target.checked)} />
        {' '}{msg.singleKeys}
      </label>
      <span id={`${id}-help`} className="visually-hidden">{msg.singleKeysHelp}</span>
    </span>
  );
}
