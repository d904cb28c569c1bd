// The VMCS panel on real exits: groups with changed fields highlighted and collapsible, and the
// exit qualification decoded (EPT violation, CR access) plus interruption info for EXCEPTION_NMI.

import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { VmcsPanel } from '../../../../src/ui/panels/machine/VmcsPanel.tsx';
import { decodeCrAccess, decodeEptViolation, decodeIntrInfo, num } from '../../../../src/ui/panels/machine/qualification.ts';
import { EPT_QUAL, VMCS_GROUPS } from '../../../../src/engine/arch/vmx.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { DUNE_CR4, DUNE_GETPID, DUNE_INT3, exitsOf, runCaptured } from './fixtures.ts';
import { guardConsole } from './setup.ts';

guardConsole();
const t = messages.machine;

const getpid = runCaptured(DUNE_GETPID);
const field = (testId: string, label: string) =>
  within(screen.getByTestId(testId)).getByText(label).closest('tr')!.querySelector('td:last-child')!.textContent;

describe('qualification decoders', () => {
  it('decodes 0x182 as a data write, no EPT permissions, GLA valid, final translation', () => {
    const d = decodeEptViolation(0x182);
    expect(d.set.map((b) => b.name)).toEqual(['WRITE', 'GLA_VALID', 'GLA_TRANSLATED']);
    expect(d.fields.map((f) => f.value)).toEqual([t.eptQual.WRITE, `--- ${t.eptNone}`, t.eptQual.GLA_VALID, t.eptFinal]);
  });
  it('decodes CR-access and interruption-information formats', () => {
    expect(decodeCrAccess(0x304).fields.map((f) => f.value)).toEqual(['CR4', 'MOV to CR', 'rbx']);
    expect(decodeCrAccess(0x10).fields.map((f) => f.value)).toEqual(['CR0', 'MOV from CR', 'rax']);
    expect(decodeIntrInfo(0x80000b0e, 6).fields.map((f) => f.value)).toEqual(['14 (#PF)', '3: hardware exception', 'yes', 'yes', '0x6']);
  });
});

describe('VmcsPanel', () => {
  it('shows a friendly empty state before Dune mode', () => {
    render(<VmcsPanel fields={null} />);
    expect(screen.getByTestId('vmcs-empty').textContent).toBe(t.vmcsEmpty);
  });

  it('decodes a real EPT violation on a write to the final translation', () => {
    const exit = exitsOf(getpid.events).find((e) => e.reason === 48 && (num(e.qualification) & (EPT_QUAL.WRITE | EPT_QUAL.GLA_TRANSLATED)) === (EPT_QUAL.WRITE | EPT_QUAL.GLA_TRANSLATED))!;
    expect(exit).toBeDefined();
    const view = getpid.views.get(exit.seq)!;
    render(<VmcsPanel fields={view.vmcs} lastExit={exit} />);
    expect(screen.getByRole('heading', { name: /VM_EXIT_REASON 48 \(EPT_VIOLATION\)/ })).toBeTruthy();
    expect(screen.getByTestId('qualification').textContent).toBe(exit.qualification);
    expect(field('qual-fields', t.eptAccess)).toBe(t.eptQual.WRITE);
    expect(field('qual-fields', t.eptWhere)).toBe(t.eptFinal);
    expect(field('qual-fields', t.gla)).toBe(t.eptQual.GLA_VALID);
    const set = within(screen.getByTestId('qual-fields-set')).getAllByRole('listitem').map((li) => li.textContent);
    expect(set.some((x) => x!.startsWith('WRITE (bit 1)'))).toBe(true);
    expect(set.some((x) => x!.startsWith('GLA_TRANSLATED (bit 8)'))).toBe(true);
    // The exit-information fields the exit wrote are highlighted, with the qualification among them.
    const q = document.querySelector('tr[data-field="EXIT_QUALIFICATION"]')!;
    expect(q.getAttribute('data-changed')).toBe('true');
    expect(q.querySelector('td:last-child')!.textContent).toBe(`${exit.qualification} (changed)`);
    const changedRows = [...document.querySelectorAll('tr[data-changed]')].map((r) => r.getAttribute('data-field'));
    expect(changedRows.sort()).toEqual(view.vmcs!.filter((f) => f.changed).map((f) => f.name).sort());
  });

  it('VM_EXIT_INSTRUCTION_LEN: "not defined for this exit" at an EPT violation, the length at a VMCALL', () => {
    const len = () => document.querySelector('tr[data-field="VM_EXIT_INSTRUCTION_LEN"] td:last-child')!.textContent;
    const ept = exitsOf(getpid.events).find((e) => e.reason === 48)!;
    const { unmount } = render(<VmcsPanel fields={getpid.views.get(ept.seq)!.vmcs} lastExit={ept} />);
    expect(len()).toBe('0x0: not defined for this exit (EPT_VIOLATION; SDM: only exits an instruction caused) (changed)');
    unmount();
    const call = exitsOf(getpid.events).find((e) => e.reason === 18)!;
    render(<VmcsPanel fields={getpid.views.get(call.seq)!.vmcs} lastExit={call} />);
    expect(len()).toBe('0x3 (changed)');
  });

  it('decodes a paging-structure EPT violation (guest walk) as such', () => {
    const exit = exitsOf(getpid.events).find((e) => e.reason === 48 && !(num(e.qualification) & EPT_QUAL.GLA_TRANSLATED))!;
    render(<VmcsPanel fields={getpid.views.get(exit.seq)!.vmcs} lastExit={exit} />);
    expect(field('qual-fields', t.eptWhere)).toBe(t.eptWalk);
  });

  it('groups fields by the SDM groups and collapses a group', () => {
    const exit = exitsOf(getpid.events).find((e) => e.name === 'VMCALL')!;
    render(<VmcsPanel fields={getpid.views.get(exit.seq)!.vmcs} lastExit={exit} />);
    expect(screen.getByText(t.noDecode)).toBeTruthy();
    for (const g of Object.keys(VMCS_GROUPS) as (keyof typeof VMCS_GROUPS)[]) {
      const table = screen.getByRole('table', { name: t.groups[g] });
      expect(table.querySelectorAll('tbody tr')).toHaveLength(Object.keys(VMCS_GROUPS[g]).length);
    }
    const btn = screen.getByRole('button', { name: new RegExp(t.groups.guest) });
    expect(btn.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(btn);
    expect(btn.getAttribute('aria-expanded')).toBe('false');
    expect(document.getElementById(btn.getAttribute('aria-controls')!)!.hidden).toBe(true);
    expect(document.querySelector('tr[data-field="VM_EXIT_REASON"] td:last-child')!.textContent).toMatch(/^0x12/);
  });

  it('decodes a real CR-access exit: MOV to CR4 from RBX', () => {
    const run = runCaptured(DUNE_CR4);
    const exit = exitsOf(run.events).find((e) => e.name === 'CR_ACCESS')!;
    expect(exit.qualification).toBe('0x304');
    render(<VmcsPanel fields={run.views.get(exit.seq)!.vmcs} lastExit={exit} />);
    expect(field('qual-fields', t.crNumber)).toBe('CR4');
    expect(field('qual-fields', t.crAccess)).toBe('MOV to CR');
    expect(field('qual-fields', t.crGpr)).toBe('rbx');
  });

  it('decodes the interruption information of a real EXCEPTION_NMI exit (INT3)', () => {
    const run = runCaptured(DUNE_INT3);
    const exit = exitsOf(run.events).find((e) => e.name === 'EXCEPTION_NMI')!;
    render(<VmcsPanel fields={run.views.get(exit.seq)!.vmcs} lastExit={exit} />);
    expect(field('intr-fields', t.intrVector)).toBe('3 (#BP)');
    expect(field('intr-fields', t.intrType)).toBe('6: software exception');
    expect(field('intr-fields', t.intrErrValid)).toBe('no');
  });
});

describe('VmcsPanel resetKey', () => {
  it('opens its initial groups again when the key changes, keeping its rows (no remount)', async () => {
    const exit = exitsOf(getpid.events)[0];
    const fields = getpid.views.get(exit.seq)!.vmcs!;
    const { rerender, container } = render(<VmcsPanel fields={fields} resetKey="all" />);
    const row = container.querySelector('tr[data-field="VM_EXIT_REASON"]');
    expect(container.querySelectorAll('.vmcs-table:not([hidden])').length).toBeGreaterThan(1);
    rerender(<VmcsPanel fields={fields} resetKey="exit" initiallyOpen={['info']} />);
    const shown = [...container.querySelectorAll('.vmcs-group')].filter((g) => !g.querySelector('table')!.hidden).map((g) => g.getAttribute('data-group'));
    expect(shown).toEqual(['info']);
    // The same row element: updated in place.
    expect(container.querySelector('tr[data-field="VM_EXIT_REASON"]')).toBe(row);
    rerender(<VmcsPanel fields={fields} resetKey="all" />);
    expect(container.querySelectorAll('.vmcs-table:not([hidden])').length).toBeGreaterThan(1);
  });
});
