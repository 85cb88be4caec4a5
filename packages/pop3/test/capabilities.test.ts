import { describe, expect, it } from 'vitest';
import { Capabilities } from '../src/capabilities.js';

describe('Capabilities.loginDelaySeconds', () => {
  it('reads LOGIN-DELAY in seconds, with or without the USER suffix, in any case', () => {
    expect(new Capabilities(['USER', 'LOGIN-DELAY 900']).loginDelaySeconds).toBe(900);
    expect(new Capabilities(['login-delay 300 USER']).loginDelaySeconds).toBe(300);
    expect(new Capabilities(['LOGIN-DELAY 0']).loginDelaySeconds).toBe(0);
  });

  it('is undefined when the server names none or gives no number', () => {
    expect(new Capabilities(['USER', 'TOP']).loginDelaySeconds).toBeUndefined();
    expect(new Capabilities(['LOGIN-DELAY']).loginDelaySeconds).toBeUndefined();
    expect(new Capabilities(['LOGIN-DELAY soon']).loginDelaySeconds).toBeUndefined();
    expect(new Capabilities(['LOGIN-DELAY -5']).loginDelaySeconds).toBeUndefined();
    expect(new Capabilities(['LOGIN-DELAY 1e9']).loginDelaySeconds).toBeUndefined();
  });
});
