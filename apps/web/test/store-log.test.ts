import { describe, expect, it } from 'vitest';
import { setup, signInParams, until } from './support/app.js';

const texts = (lines: Iterable<{ readonly text: string }>) => [...lines].map((line) => line.text);

describe('the protocol log', () => {
  it('collects the dialogue', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    actions.toggleLog(true);
    const lines = [...store.getState().log].map((line) => `${line.direction}: ${line.text}`);
    expect(lines).toContain('client: STAT');
    expect(lines).toContain('client: TOP 3 0');
    expect(lines.join('\n')).not.toContain(signInParams.password);
  });

  it('makes no store change for its lines while the panel is closed, and shows them at the opening', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    const changes: string[][] = [];
    store.subscribe((state, previous) => {
      if (state.log !== previous.log) changes.push(texts(state.log));
    });
    actions.setConsoleLine('NOOP');
    await actions.sendConsoleLine();
    await new Promise((resolve) => setTimeout(resolve, 20)); // flushMs is 1 in these tests
    expect(changes).toEqual([]);
    actions.toggleLog(true);
    expect(changes).toHaveLength(1);
    expect(texts(store.getState().log)).toContain('NOOP');
  });

  it('updates live while the panel is open; ids stay; clear empties it and ids go on', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    actions.toggleLog(true);
    const opened = store.getState().log;
    const lastId = opened.at(-1)!.id;
    actions.setConsoleLine('NOOP');
    await actions.sendConsoleLine();
    await until(store, (state) => texts(state.log).includes('NOOP'));
    const after = store.getState().log;
    expect(after.length).toBeGreaterThan(opened.length);
    // The lines shown before are the same lines, with the same ids, and the view taken then unchanged.
    expect([...after].slice(0, opened.length)).toEqual([...opened]);
    expect(opened.at(-1)!.id).toBe(lastId);
    expect(new Set([...after].map((line) => line.id)).size).toBe(after.length);

    actions.clearLog();
    expect(store.getState().log.length).toBe(0);
    expect(store.getState().logDropped).toBe(0);
    actions.setConsoleLine('STAT');
    await actions.sendConsoleLine();
    await until(store, (state) => texts(state.log).includes('STAT'));
    expect(store.getState().log.at(0)!.id).toBeGreaterThan(after.at(-1)!.id);
  });

  it('keeps what arrived while it was closed, after it is closed and opened again', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    actions.toggleLog(true);
    actions.toggleLog(false);
    const closed = store.getState().log;
    actions.setConsoleLine('NOOP');
    await actions.sendConsoleLine();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.getState().log).toBe(closed);
    actions.toggleLog();
    expect(store.getState().logOpen).toBe(true);
    expect(texts(store.getState().log)).toContain('NOOP');
  });
});
