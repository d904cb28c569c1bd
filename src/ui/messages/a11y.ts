// Messages of the accessibility helpers (src/ui/a11y): what the live region says about a step.

export const a11y = {
  skipLink: 'Skip to the simulator',
  vmexit: (name: string, reason: number, ring: number | null) => `VM exit: ${name}, reason ${reason}${ring === null ? '' : `, from ring ${ring}`}`,
  vmentry: (kind: string, rip: string) => `VM entry (${kind === 'launch' ? 'VMLAUNCH' : 'VMRESUME'}) at ${rip}`,
  syscall: (name: string, via: string, ret: string) => `System call ${name} via ${via}, returns ${ret}`,
  exception: (name: string, vector: number) => `Exception ${name}, vector ${vector}`,
  instr: (text: string) => `Instruction ${text}`,
  other: (what: string) => what,
  start: 'At the start of the run',
  singleKeys: 'Single-key shortcuts',
  singleKeysHelp: 'Letter, Space and + or − keys step the player and change the view. Turn them off if they get in the way of speech input; arrows, Home, End and the buttons still work.',
};
