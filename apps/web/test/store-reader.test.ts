import { describe, expect, it, vi } from 'vitest';
import { selectRow } from '../src/store/selectors.js';
import { setup, signInParams, threeMessages } from './support/app.js';

describe('reading', () => {
  it('RETRs with progress, parses, and marks read', async () => {
    const parse = vi.fn(async (bytes: Uint8Array) => {
      const { fakeParse } = await import('./support/app.js');
      return fakeParse(bytes);
    });
    const { store, actions, server } = setup(threeMessages(), { deps: { parseMessage: parse } });
    await actions.signIn(signInParams);
    const progress: number[] = [];
    store.subscribe((state) => {
      if (state.open?.kind === 'loading') progress.push(state.open.received);
    });
    let release: () => void = () => {};
    server.sessions[0]!.holdRetr = new Promise<void>((resolve) => (release = resolve));
    const opening = actions.openMessage(3);
    // The fake reports half the message, then waits: the reader shows that much.
    await vi.waitFor(() => expect(progress.at(-1)).toBeGreaterThan(0));
    const size = selectRow(store.getState(), 3)!.size;
    expect(progress.at(-1)).toBe(Math.floor(size / 2));
    release();
    await opening;
    expect(selectRow(store.getState(), 3)!.read).toBe(true);
    const open = store.getState().open!;
    expect(open).toMatchObject({ kind: 'ready', result: { kind: 'parsed', message: { subject: 'Third' } } });
    expect(open.kind === 'ready' && open.raw.length).toBe(open.size);
    expect(parse).toHaveBeenCalledOnce();
    expect(server.sessions[0]!.commands.at(-1)).toBe('RETR 3');
    expect(store.getState().selected).toBe(3);
  });

  it('cancels a download', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    const client = server.sessions[0]!;
    client.holdRetr = new Promise(() => {});
    const opening = actions.openMessage(1);
    await Promise.resolve();
    expect(store.getState().open?.kind).toBe('loading');
    actions.cancelOpen();
    await opening;
    expect(store.getState().open?.kind).toBe('cancelled');
    expect(store.getState().session.kind).toBe('open');
  });

  it("asks for the message in the engine's urgent lane, ahead of a listing's TOPs", async () => {
    const { actions, server } = setup();
    await actions.signIn(signInParams);
    await actions.openMessage(2);
    expect(server.sessions[0]!.retrOptions).toEqual([expect.objectContaining({ urgent: true })]);
  });

  it('opening the message already open sends no second RETR; closing it clears the reader', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    await actions.openMessage(1);
    await actions.openMessage(1);
    expect(server.sessions[0]!.commands.filter((command) => command === 'RETR 1')).toHaveLength(1);
    actions.closeMessage();
    expect(store.getState().open).toBeNull();
  });
});

describe('images consent', () => {
  it('"Show images" is for the open message; "always" is kept per sender, lower-cased', async () => {
    const { store, actions, settings } = setup();
    await actions.signIn(signInParams);
    await actions.openMessage(3);
    expect(store.getState().open).toMatchObject({ kind: 'ready', imagesOnce: false });
    actions.showImagesOnce();
    expect(store.getState().open).toMatchObject({ kind: 'ready', imagesOnce: true });

    actions.setImagesAlways('  Bob@Example.org ', true);
    expect(store.getState().settings.imagesAlways).toEqual(['bob@example.org']);
    expect(settings.load()).toMatchObject({ imagesAlways: ['bob@example.org'] });

    actions.setImagesAlways('bob@example.org', false);
    expect(store.getState().settings.imagesAlways).toEqual([]);
    expect(store.getState().open).toMatchObject({ kind: 'ready', imagesOnce: false });

    actions.setImagesAlways('   ', true);
    expect(store.getState().settings.imagesAlways).toEqual([]);
  });

  it('a message opened next starts with images blocked again', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    await actions.openMessage(3);
    actions.showImagesOnce();
    await actions.openMessage(2);
    expect(store.getState().open).toMatchObject({ number: 2, kind: 'ready', imagesOnce: false });
  });
});
