// Dune Lab's engine: the public surface used by the UI, the CLI and the tests.

export { runSource, Session, assembleSource, DEFAULT_BUDGET, type RunResult, type SessionOptions } from './session.ts';
export { Machine, type ExitStatus, type MachineSnapshot } from './machine.ts';
export { Kernel } from './kernel/kernel.ts';
export { parseKnobs, KNOB_DOCS } from './knobs.ts';
export { assemble, formatAsmErrors } from './asm/index.ts';
export { ArraySink, JsonLinesSink, type TraceEvent, type TraceSink } from './trace/events.ts';
export { DEFAULT_COSTS, type CostModel } from './cost.ts';
