// The first thing a keyboard user reaches: a link past the header straight to the simulator
// (WCAG 2.4.1 Bypass Blocks). Hidden until focused.

import { a11y as msg } from '../messages/index.ts';
import './a11y.css';

export const MAIN_ID = 'simulator';

export function SkipLink() {
  return <a className="skip-link" href={`#${MAIN_ID}`}>{msg.skipLink}</a>;
}
