// The order in which the worker records a lesson's programs ahead (engine/course/lesson.ts
// readingOrder): the step itself, the next, the previous, then on to the end and back.

import { describe, it, expect } from 'vitest';
import { readingOrder } from '../../../src/engine/course/lesson.ts';

describe('readingOrder', () => {
  it('puts the step, then the next and the previous step first', () => {
    expect(readingOrder(7, 3)).toEqual([3, 4, 2, 5, 6, 1, 0]);
    expect(readingOrder(5, 0)).toEqual([0, 1, 2, 3, 4]);
    expect(readingOrder(5, 4)).toEqual([4, 3, 2, 1, 0]);
    expect(readingOrder(1, 0)).toEqual([0]);
  });
  it('names every step once, for every length and start', () => {
    for (let n = 1; n <= 12; n++) for (let from = 0; from < n; from++) {
      const o = readingOrder(n, from);
      expect([...o].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
      expect(o[0]).toBe(from);
    }
  });
});
