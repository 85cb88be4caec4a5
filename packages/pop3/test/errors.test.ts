// What the response codes mean (RFC 2449 section 8, RFC 3206): the one table the engine, the web app,
// the CLI and the Playwright fixture read.
import { describe, expect, it } from 'vitest';
import { isLoginRefusal, isRetryable } from '../src/errors.js';

describe('response codes', () => {
  it('AUTH, IN-USE, LOGIN-DELAY, SYS/TEMP and SYS/PERM refuse a login: no other method can help', () => {
    for (const code of ['AUTH', 'IN-USE', 'LOGIN-DELAY', 'SYS/TEMP', 'SYS/PERM']) {
      expect(isLoginRefusal(code)).toBe(true);
    }
    for (const code of [undefined, 'UTF8', 'X-VENDOR', 'auth', 'toString', '__proto__']) {
      expect(isLoginRefusal(code)).toBe(false);
    }
  });

  it('IN-USE, LOGIN-DELAY and SYS/TEMP may go away if tried again later; the others do not', () => {
    expect(['IN-USE', 'LOGIN-DELAY', 'SYS/TEMP'].map(isRetryable)).toEqual([true, true, true]);
    expect(['AUTH', 'SYS/PERM', 'UTF8', 'X-VENDOR', 'constructor'].map(isRetryable)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isRetryable(undefined)).toBe(false);
  });
});
