import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, fireEvent, waitFor, cleanup } from '@testing-library/react';
import { App } from '../../../src/ui/App.tsx';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { problem, solve } from '../../../src/engine/course/exercises/index.ts';

// Predict, then see: the page asks the engine for a problem seeded by the student's name, checks
// the answer, explains, hints when wrong, and loads the deciding run at its event.
describe('exercises in the page', () => {
  afterEach(cleanup);
  it('a right answer, a wrong one with its hint, and the run that decides it', { timeout: 120_000 }, async () => {
    render(<App engine={inThreadEngine()} />);
    fireEvent.change(screen.getByLabelText('Exercise'), { target: { value: 'pf-error-code' } });
    fireEvent.change(screen.getByLabelText('Your name or ID'), { target: { value: 'Ada' } });
    fireEvent.click(screen.getByRole('button', { name: 'New problem' }));
    const seed = 'dune-lab/Ada/1';
    const p = problem('pf-error-code', seed);
    await waitFor(() => expect(screen.getByTestId('exercise-prompt').textContent).toBe(p.prompt), { timeout: 60_000 });
    const right = solve(p).answer;
    const wrong = String(Number(right) ^ 4);
    fireEvent.change(screen.getByTestId('exercise-answer'), { target: { value: wrong } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(screen.getByTestId('exercise-result').textContent).toContain('Not quite.'), { timeout: 60_000 });
    expect(screen.getByTestId('exercise-result').textContent).toContain('Bit 0 is set when the page was present');
    fireEvent.change(screen.getByTestId('exercise-answer'), { target: { value: right } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(screen.getByTestId('exercise-result').textContent).toContain('Right.'), { timeout: 60_000 });
    fireEvent.click(screen.getByRole('button', { name: 'Show the run that decides it' }));
    await waitFor(() => expect(screen.getByTestId('event').textContent).toContain('#PF'), { timeout: 60_000 });
    expect(screen.getByText('1 / 2')).toBeTruthy();
  });
});
