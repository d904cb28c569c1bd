// Messages of the machine panels (privilege map, CPU, VMCS, timeline, source).
export const machine = {} as const;
