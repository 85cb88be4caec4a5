import { limits, openSession, type Transport } from '@webpop/pop3';
import { connectNodeTransport } from '@webpop/pop3/node';
import { generateMessages, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../src/mailstore/mail-cache.js';
import type { Connect } from '../src/session/types.js';
import { createAppStore } from '../src/store/app-store.js';
import { memorySettingsStorage } from '../src/store/settings.js';
import { fakeParse, signInParams } from './support/app.js';

const COUNT = 10_000;
let server: RunningPop3Server;

beforeAll(async () => {
  server = await startPop3Server({
    accounts: [{ username: 'demo', password: 'demo', messages: generateMessages(COUNT, { seed: 12 }) }],
  });
});

afterAll(async () => {
  await server.close();
});

/** The real engine over TCP to testkit's POP3 server on loopback (its transport wrapped by `wrap`). */
const connect = async (
  _params: Parameters<Connect>[0],
  hooks: Parameters<Connect>[1],
  signal: Parameters<Connect>[2],
  wrap: (transport: Transport) => Transport = (transport) => transport,
): ReturnType<Connect> => {
  hooks.onStage('connecting');
  const transport = wrap(
    await connectNodeTransport({ host: server.host, port: server.port, security: 'none' }),
  );
  hooks.onStage('authenticating');
  return openSession(transport, {
    security: 'none',
    credentials: { username: 'demo', password: 'demo', method: 'user', allowPlaintext: true },
    onLog: (entry) => hooks.onLog(entry),
    signal,
    ...(hooks.onLoggingIn ? { whileLoggingIn: hooks.onLoggingIn } : {}),
  });
};

const readCommands = (prefix: string) =>
  server.commandLog.filter((entry) => entry.command.startsWith(prefix));

describe('the listing on the real engine', () => {
  it('a message opened while 10,000 headers load is sent after at most one window of TOPs and shown before the list is complete', async () => {
    const store = createAppStore({
      connect,
      cache: memoryCache(),
      loadServers: async () => ({ servers: [], allowAnyTarget: false }),
      parseMessage: fakeParse,
      settingsStorage: memorySettingsStorage({ language: 'en' }),
      flushMs: 1,
    });
    let topsReadWhenOpened: number | undefined;
    let listingWhenShown: string | undefined;
    const unsubscribe = store.subscribe((state) => {
      if (topsReadWhenOpened === undefined && state.listing.done > 0) {
        topsReadWhenOpened = readCommands('TOP').length;
        void state.actions.openMessage(1); // the oldest: its TOP is the last the listing would send
      }
      if (listingWhenShown === undefined && state.open?.kind === 'ready')
        listingWhenShown = state.listing.phase;
    });
    await store.getState().actions.signIn({ ...signInParams, username: 'demo', password: 'demo' });
    unsubscribe();

    const tops = readCommands('TOP');
    const retrAt = server.commandLog.findIndex((entry) => entry.command === 'RETR 1');
    const topsBeforeRetr = server.commandLog
      .slice(0, retrAt)
      .filter((entry) => entry.command.startsWith('TOP'));
    expect(tops).toHaveLength(COUNT);
    expect(topsBeforeRetr.length - topsReadWhenOpened!).toBeLessThanOrEqual(limits.pipelineWindow);
    expect(listingWhenShown).toBe('headers');
    expect(store.getState().listing).toEqual({ phase: 'done', done: COUNT, total: COUNT });
    store.getState().actions.dispose();
  });

  it('sends the listing’s STAT, LIST and UIDL with the login’s last line, before its answer', async () => {
    const lines: string[] = [];
    const store = createAppStore({
      connect: (params, hooks, signal) =>
        connect(
          params,
          {
            ...hooks,
            onLog: (entry) => (lines.push(`${entry.direction} ${entry.text}`), hooks.onLog(entry)),
          },
          signal,
        ),
      cache: memoryCache(),
      loadServers: async () => ({ servers: [], allowAnyTarget: false }),
      parseMessage: fakeParse,
      settingsStorage: memorySettingsStorage({ language: 'en' }),
      flushMs: 1,
    });
    await store.getState().actions.signIn({ ...signInParams, username: 'demo', password: 'demo' });
    const pass = lines.indexOf('client PASS ***');
    expect(lines.slice(pass, pass + 4)).toEqual([
      'client PASS ***',
      'client STAT',
      'client LIST',
      'client UIDL',
    ]);
    expect(lines[pass + 4]).toMatch(/^server \+OK/);
    expect(store.getState().listing).toEqual({ phase: 'done', done: COUNT, total: COUNT });
    store.getState().actions.dispose();
  });

  it('writes the first TOPs before the mailbox’s rows are built and set', async () => {
    let rowsWhenTopsLeft: number | undefined;
    // The real engine over TCP, its transport noting how many rows the store had when TOP first left.
    const realConnect: Connect = async (_params, hooks, signal) => {
      hooks.onStage('connecting');
      const transport = await connectNodeTransport({
        host: server.host,
        port: server.port,
        security: 'none',
      });
      const send = transport.send.bind(transport);
      transport.send = (bytes) => {
        if (rowsWhenTopsLeft === undefined && new TextDecoder().decode(bytes).startsWith('TOP '))
          rowsWhenTopsLeft = store.getState().rows.length;
        send(bytes);
      };
      hooks.onStage('authenticating');
      return openSession(transport, {
        security: 'none',
        credentials: { username: 'demo', password: 'demo', method: 'user', allowPlaintext: true },
        onLog: (entry) => hooks.onLog(entry),
        signal,
        ...(hooks.onLoggingIn ? { whileLoggingIn: hooks.onLoggingIn } : {}),
      });
    };
    const store = createAppStore({
      connect: realConnect,
      cache: memoryCache(),
      loadServers: async () => ({ servers: [], allowAnyTarget: false }),
      parseMessage: fakeParse,
      settingsStorage: memorySettingsStorage({ language: 'en' }),
      flushMs: 1,
    });
    await store.getState().actions.signIn({ ...signInParams, username: 'demo', password: 'demo' });
    expect(rowsWhenTopsLeft).toBe(0);
    expect(store.getState().rows).toHaveLength(COUNT);
    expect(store.getState().listing).toEqual({ phase: 'done', done: COUNT, total: COUNT });
    store.getState().actions.dispose();
  });

  it('shows the first headers in the next task, not a flush interval after them', async () => {
    const store = createAppStore({
      connect,
      cache: memoryCache(),
      loadServers: async () => ({ servers: [], allowAnyTarget: false }),
      parseMessage: fakeParse,
      settingsStorage: memorySettingsStorage({ language: 'en' }),
      // Later flushes wait this long: only the first one can show rows while the listing runs.
      flushMs: 60_000,
    });
    let shownWhileListing = 0;
    const unsubscribe = store.subscribe((state) => {
      if (state.listing.phase === 'headers' && shownWhileListing === 0)
        shownWhileListing = state.listing.done;
    });
    await store.getState().actions.signIn({ ...signInParams, username: 'demo', password: 'demo' });
    unsubscribe();
    expect(shownWhileListing).toBeGreaterThan(0);
    expect(shownWhileListing).toBeLessThan(COUNT);
    expect(store.getState().listing).toEqual({ phase: 'done', done: COUNT, total: COUNT });
    store.getState().actions.dispose();
  });

  it('shows the first headers in the task their replies came in, before the next bytes are read', async () => {
    // Each chunk of bytes the engine is given, and whether that chunk's task had ended when the first
    // rows were set: Node runs an immediate set after the engine was given the chunk (its socket's
    // read) before any timer, so a flush in a `setTimeout(0)` comes after it, one in a microtask before.
    let chunks = 0;
    let endedChunk = 0;
    let taskEndedWhenShown: boolean | undefined;
    const counting: Connect = (params, hooks, signal) =>
      connect(params, hooks, signal, (transport) => ({
        attach: (receiver) =>
          transport.attach({
            data(chunk) {
              const number = ++chunks;
              receiver.data(chunk);
              setImmediate(() => (endedChunk = number));
            },
            closed: (error) => receiver.closed(error),
          }),
        send: (bytes) => transport.send(bytes),
        startTls: () => transport.startTls(),
        close: () => transport.close(),
        get tls() {
          return transport.tls;
        },
      }));
    const store = createAppStore({
      connect: counting,
      cache: memoryCache(),
      loadServers: async () => ({ servers: [], allowAnyTarget: false }),
      parseMessage: fakeParse,
      settingsStorage: memorySettingsStorage({ language: 'en' }),
      flushMs: 60_000,
    });
    const shown = new Promise<void>((resolve) => {
      const unsubscribe = store.subscribe((state) => {
        if (taskEndedWhenShown !== undefined || state.listing.done === 0) return;
        taskEndedWhenShown = endedChunk === chunks;
        unsubscribe();
        resolve();
      });
    });
    // Only the first rows matter: the session ends once they are shown.
    const signedIn = store.getState().actions.signIn({ ...signInParams, username: 'demo', password: 'demo' });
    await shown;
    store.getState().actions.dispose();
    await signedIn.catch(() => {});
    expect(taskEndedWhenShown).toBe(false);
  });
});
