// Why a VMX instruction failed, by check: the model's words for each check it makes (SDM Vol. 3C
// "VM Instruction Error Numbers" gives the number; the check says which condition of "Checks on
// VMX Controls", "Checks on Host ..." or the instruction's own operation failed). The `vmfail`
// trace event's message and the host's report say these in English; the page says them by check
// (src/ui/messages/zh-CN/report.ts). arg is the check's value as printed (an encoding, an EPTP, a type).

export const VMFAIL_TEXT = {
  'vmcall-root': (_arg: string) => 'VMCALL executed in VMX root operation',
  'vmwrite-unsupported': (arg: string) => `VMWRITE to unsupported component ${arg}`,
  'vmwrite-read-only': (arg: string) => `VMWRITE to read-only component ${arg}`,
  'no-current-vmcs': (_arg: string) => 'VM entry with no current VMCS (VMfailInvalid)',
  'launch-non-clear': (_arg: string) => 'VMLAUNCH with a non-clear VMCS',
  'resume-non-launched': (_arg: string) => 'VMRESUME with a non-launched VMCS',
  'eptp': (arg: string) => `VM entry: invalid EPTP ${arg} (memory type must be UC or WB, walk length 4)`,
  'vpid-zero': (_arg: string) => 'VM entry: "enable VPID" with VPID 0000H',
  'unrestricted-no-ept': (_arg: string) => 'VM entry: "unrestricted guest" without "enable EPT"',
  'cr3-target-count': (_arg: string) => 'VM entry: CR3-target count above 4',
  'msr-bitmap-align': (_arg: string) => 'VM entry: MSR-bitmap address not 4-KByte aligned',
  'host-cr0-cr4': (_arg: string) => 'VM entry: host CR0/CR4 not fixed (PE, PG, PAE, VMXE)',
  'host-addr-size': (_arg: string) => 'VM entry: "host address-space size" is 0 on a 64-bit host',
  'host-rip-cs': (_arg: string) => 'VM entry: host RIP not canonical or host CS selector invalid',
  'guest-state': (_arg: string) => 'VM-entry failure: invalid guest state (CR0.PE/PG, CR4.VMXE, IA-32e mode vs EFER.LMA, RFLAGS bit 1, VMCS link pointer, RIP)',
  'invept-type': (arg: string) => `INVEPT type ${arg} not supported`,
  'invvpid-vpid-zero': (_arg: string) => 'INVVPID of VPID 0000H',
  'invvpid-type': (arg: string) => `INVVPID type ${arg} not supported`,
} satisfies Record<string, (arg: string) => string>;

export type VmfailCheck = keyof typeof VMFAIL_TEXT;
