// The zh-CN catalog (简体中文), by area, typed against the English one (../index.ts): a missing or
// an extra key is a type error. Terms follow shared/reference/zh-glossary.md: SDM and code names
// stay English, a space between Chinese and Latin text or numbers.

import type { Catalog } from '../index.ts';
import { core } from './core.ts';
import { walk } from './walk.ts';
import { machine } from './machine.ts';
import { memory } from './memory.ts';
import { compare } from './compare.ts';
import { terminal } from './terminal.ts';
import { files } from './files.ts';
import { glossary } from './glossary.ts';
import { event } from './event.ts';
import { whatif } from './whatif.ts';
import { code } from './code.ts';
import { a11y } from './a11y.ts';
import { course } from './course.ts';
import { asm } from './asm.ts';
import { report } from './report.ts';
import { kernel } from './kernel.ts';
import { wedge, sandbox } from './apps.ts';
import { heap } from './heap.ts';

export const zhCN: Catalog = { ...core, walk, machine, compare, memory, files, terminal, glossary, event, whatif, code, a11y, course, asm, report, kernel, wedge, sandbox, heap };
