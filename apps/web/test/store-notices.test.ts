import { describe, expect, it } from 'vitest';
import { setup, signInParams } from './support/app.js';

describe('notices', () => {
  it('a newer notice replaces the one on screen; dismissing clears it', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    await actions.deleteMessage(1);
    const marked = store.getState().notice!;
    expect(marked).toMatchObject({ key: 'delete.marked', tone: 'info', params: { count: 1 } });

    await actions.undoDeletes();
    const undone = store.getState().notice!;
    expect(undone).toMatchObject({ key: 'delete.undone', tone: 'info' });
    expect(undone.id).not.toBe(marked.id);
    expect(undone).not.toHaveProperty('params');
    expect(undone).not.toHaveProperty('extras');

    actions.dismissNotice();
    expect(store.getState().notice).toBeNull();
  });

  it('the sign-in page keeps a warning until the next sign-in clears it', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    await actions.deleteMessage(1);
    server.sessions[0]!.failQuit();
    await actions.signOut();
    expect(store.getState().notice).toMatchObject({ key: 'delete.notCommitted', tone: 'warning' });
    await actions.signIn(signInParams);
    expect(store.getState().notice).toBeNull();
  });
});
