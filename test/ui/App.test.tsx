// The page shell, with a fake engine client: what the user sees before and after Run.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { App } from '../../src/ui/App.tsx';
import type { EngineClient, RunResult } from '../../src/ui/engineClient.ts';
import { helloProgram, messages } from '../../src/ui/messages/index.ts';

afterEach(cleanup);

function result(over: Partial<RunResult>): RunResult {
  return {
    ok: true, stdout: '', stderr: '', exitCode: 0, diagnostics: '',
    instructions: 0, cycles: 0, vmexits: {}, ...over,
  };
}

function fakeEngine(r: RunResult | Error): EngineClient & { run: ReturnType<typeof vi.fn> } {
  return { run: vi.fn(async () => { if (r instanceof Error) throw r; return r; }) };
}

describe('App', () => {
  it('shows the header and the hello program', () => {
    render(<App engine={fakeEngine(result({}))} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Dune Lab');
    const editor = screen.getByLabelText(messages.programLabel) as HTMLTextAreaElement;
    expect(editor.value).toBe(helloProgram);
    expect(screen.getByText(messages.outputEmpty)).toBeTruthy();
  });

  it('runs the edited source and shows stdout, exit code and counters', async () => {
    const engine = fakeEngine(result({ stdout: 'hi there\n', exitCode: 3, instructions: 8, cycles: 1234 }));
    render(<App engine={engine} />);
    fireEvent.change(screen.getByLabelText(messages.programLabel), { target: { value: 'nop' } });
    fireEvent.click(screen.getByRole('button', { name: messages.run }));

    expect((await screen.findByTestId('stdout')).textContent).toBe('hi there\n');
    expect(screen.getByTestId('exit-code').textContent).toBe('3');
    expect(screen.getByTestId('instructions').textContent).toBe('8');
    expect(screen.getByTestId('cycles').textContent).toBe('1234');
    expect(engine.run).toHaveBeenCalledWith('nop', expect.anything());
  });

  it('shows assembler diagnostics when assembly fails', async () => {
    const diagnostics = 'program.s:3:5: error: unknown mnemonic "mvo"';
    render(<App engine={fakeEngine(result({ ok: false, exitCode: -1, diagnostics }))} />);
    fireEvent.click(screen.getByRole('button', { name: messages.run }));

    expect((await screen.findByTestId('diagnostics')).textContent).toBe(diagnostics);
    expect(screen.getByText(messages.diagnosticsHeading)).toBeTruthy();
    expect(screen.queryByTestId('stdout')).toBeNull();
  });

  it('reports an engine exception instead of crashing', async () => {
    render(<App engine={fakeEngine(new Error('boom'))} />);
    fireEvent.click(screen.getByRole('button', { name: messages.run }));
    expect((await screen.findByTestId('engine-error')).textContent).toBe('boom');
  });
});
