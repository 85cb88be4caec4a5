import { describe, expect, it } from 'vitest';
import { setup, signInParams } from './support/app.js';

describe('the protocol log', () => {
  it('collects the dialogue', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    actions.toggleLog(true);
    const lines = store.getState().log.map((line) => `${line.direction}: ${line.text}`);
    expect(lines).toContain('client: STAT');
    expect(lines).toContain('client: TOP 3 0');
    expect(lines.join('\n')).not.toContain(signInParams.password);
  });
});
