// The measure the linear-time tests stand on must tell the two apart: a linear scan reads about 1, a
// quadratic one about GROWTH_FACTOR (8), whatever else the machine is doing.
import { describe, expect, it } from 'vitest';
import { LINEAR_BOUND, LINEAR_TIME_TEST_TIMEOUT_MS, repeatTo, superlinearity } from '../src/index.js';

function linearCount(text: string): number {
  let commas = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) commas++;
  return commas;
}

/** For each character, a look ahead to the end of the text: the backtracking shape the tests exist to catch. */
function quadraticCount(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 44) continue;
    for (let j = i + 1; j < text.length; j++) if (text.charCodeAt(j) === 44) pairs++;
  }
  return pairs;
}

describe('superlinearity', { timeout: LINEAR_TIME_TEST_TIMEOUT_MS }, () => {
  it('reads about 1 for a linear scan', () => {
    expect(superlinearity(linearCount, (n) => repeatTo('a,', n), 1024 * 1024)).toBeLessThan(LINEAR_BOUND);
  });

  it('reads about GROWTH_FACTOR for a quadratic one', () => {
    expect(superlinearity(quadraticCount, (n) => repeatTo('a,', n), 16 * 1024)).toBeGreaterThan(LINEAR_BOUND);
  });
});
