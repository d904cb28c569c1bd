import { describe, expect, it } from 'vitest';
import { keepView, parseViewHash, withMode } from '../../../src/ui/shell/viewHash.ts';

describe('the view in the link', () => {
  it('a lesson step link keeps present (and an embed\'s panels)', () => {
    expect(keepView('#lesson=pagewalk&step=3', '#lesson=pagewalk&step=2&present')).toBe('#lesson=pagewalk&step=3&present');
    expect(keepView('#lesson=a&step=1', '#embed&panels=walk,tlb&lesson=a&step=2')).toBe('#lesson=a&step=1&embed&panels=walk,tlb');
    expect(keepView('#lesson=a&step=1', '')).toBe('#lesson=a&step=1');
    expect(parseViewHash(keepView('#lesson=a&step=4', '#present&lesson=a&step=1')).mode).toBe('present');
  });
  it('entering and leaving presentation writes present; an embed is left alone', () => {
    expect(withMode('#lesson=a&step=2', 'present')).toBe('#lesson=a&step=2&present');
    expect(withMode('#lesson=a&step=2&present', 'present')).toBe('#lesson=a&step=2&present');
    expect(withMode('#present&share=xyz', 'normal')).toBe('#share=xyz');
    expect(withMode('#present', 'normal')).toBe('');
    expect(withMode('', 'present')).toBe('#present');
    expect(withMode('#embed&panels=walk', 'normal')).toBe('#embed&panels=walk');
  });
});
