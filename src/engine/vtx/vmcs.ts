// The VMCS: fields addressed by their SDM encodings, with launch state and a record of which
// fields the last VM exit or entry changed (for the visualizer). SDM Vol. 3C "Virtual-Machine
// Control Structures". World: hardware state, written by VMX-root software with VMWRITE.

import { VMCS_FIELD_NAME, vmcsIsReadOnly, vmcsWidth } from '../arch/vmx.ts';

export class Vmcs {
  fields = new Map<number, bigint>();
  /** Launch state: "clear" after VMCLEAR, "launched" after a successful VMLAUNCH. */
  launched = false;
  /** Encodings written by the processor at the last VM exit or entry. */
  changed = new Set<number>();

  constructor(readonly id: number) {}

  read(enc: number): bigint {
    if (!(enc in VMCS_FIELD_NAME)) throw new RangeError(`VMREAD of unsupported VMCS component 0x${enc.toString(16)}`);
    return this.fields.get(enc) ?? 0n;
  }
  /** Processor-side write (exit information, guest state saved at exit): read-only fields allowed. */
  hwWrite(enc: number, v: bigint) {
    this.fields.set(enc, mask(enc, v));
    this.changed.add(enc);
  }
  /** Software VMWRITE: read-only (exit-information) fields are refused (VM-instruction error 13). */
  write(enc: number, v: bigint): 'ok' | 'unsupported' | 'read-only' {
    if (!(enc in VMCS_FIELD_NAME)) return 'unsupported';
    if (vmcsIsReadOnly(enc)) return 'read-only';
    this.fields.set(enc, mask(enc, v));
    return 'ok';
  }
  num(enc: number): number { return Number(this.read(enc)); }

  clone(): Vmcs {
    const v = new Vmcs(this.id);
    v.fields = new Map(this.fields); v.launched = this.launched; v.changed = new Set(this.changed);
    return v;
  }
}

function mask(enc: number, v: bigint): bigint {
  const w = vmcsWidth(enc);
  return BigInt.asUintN(w === '16' ? 16 : w === '32' ? 32 : 64, v);
}
