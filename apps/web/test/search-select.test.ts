import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestSlots, kthSmallest } from '../src/search/account-index.js';

describe('search: the best hits by selection', () => {
  it('finds the value a sort would put at k, ties and all', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -5, max: 5 }).map((n) => n / 2),
          { minLength: 1, maxLength: 60 },
        ),
        fc.nat(),
        (numbers, at) => {
          const k = at % numbers.length;
          const sorted = [...numbers].sort((a, b) => a - b);
          expect(kthSmallest(Float64Array.from(numbers), k)).toBe(sorted[k]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the best `limit` slots, best first, as a whole sort would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 90 }),
        (values, limit) => {
          const scores = Float64Array.from(values);
          const slots = Uint32Array.from(values.keys());
          const best = bestSlots(slots, slots.length, scores, limit).map((hit) => hit.score);
          const whole = [...values].sort((a, b) => b - a).slice(0, limit);
          expect(best).toEqual(whole);
        },
      ),
      { numRuns: 500 },
    );
  });
});
