// The UI's message catalog: every piece of UI text, by area. English now; a translation adds a
// parallel catalog with the same keys.

import { messages as core, helloProgram } from './core.ts';
import { walk } from './walk.ts';
import { machine } from './machine.ts';
import { memory } from './memory.ts';
import { compare } from './compare.ts';
import { terminal } from './terminal.ts';
import { files } from './files.ts';
import { glossary } from './glossary.ts';
import { event } from './event.ts';
import { whatif } from './whatif.ts';
import { wedge, sandbox } from './apps.ts';

export const messages = { ...core, walk, machine, compare, memory, files, terminal, glossary, event, whatif, wedge, sandbox };
export { helloProgram };
