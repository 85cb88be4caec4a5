import { describe, expect, it } from 'vitest';
import { CONSOLE_HISTORY_LINES } from '../src/store/console-slice.js';
import { setup, signInParams } from './support/app.js';

async function signedIn() {
  const context = setup();
  await context.actions.signIn(signInParams);
  return { ...context, client: context.server.sessions[0]! };
}

async function type(context: Awaited<ReturnType<typeof signedIn>>, line: string) {
  context.actions.setConsoleLine(line);
  await context.actions.sendConsoleLine();
}

describe('the POP3 command line', () => {
  it('sends a typed command through the engine and shows what the reply means', async () => {
    const context = await signedIn();
    await type(context, 'stat');
    expect(context.client.commands.at(-1)).toBe('STAT');
    const { console } = context.store.getState();
    expect(console.line).toBe('');
    expect(console.busy).toBe(false);
    expect(console.feedback).toMatchObject({
      tone: 'info',
      sentences: [expect.stringMatching(/^3 messages of \d+ octets/)],
    });
    context.actions.toggleLog(true);
    expect(context.store.getState().log.at(-1)).toMatchObject({
      direction: 'info',
      text: expect.stringMatching(/^3 messages/),
    });
  });

  it('refuses PASS with a sentence of why, and sends nothing', async () => {
    const context = await signedIn();
    const sent = context.client.commands.length;
    await type(context, 'PASS hunter2-secret');
    expect(context.client.commands).toHaveLength(sent);
    const { feedback } = context.store.getState().console;
    expect(feedback).toMatchObject({ tone: 'error', sentences: [expect.stringMatching(/password/)] });
    context.actions.toggleLog(true);
    expect([...context.store.getState().log].map((line) => line.text).join('\n')).not.toContain(
      'hunter2-secret',
    );
    expect(context.store.getState().console.history).toEqual([]);
  });

  it('DELE typed marks the row as the Delete button does, RSET typed unmarks it as Undo does', async () => {
    const context = await signedIn();
    await type(context, 'DELE 2');
    expect(context.client.commands.at(-1)).toBe('DELE 2');
    expect(context.store.getState().rows.map((row) => row.deleted)).toEqual([false, true, false]);
    expect(context.store.getState().notice).toMatchObject({ key: 'delete.marked', params: { count: 1 } });
    expect(context.store.getState().console.feedback).toMatchObject({
      sentences: [expect.stringMatching(/Deletions commit only at QUIT/)],
    });
    // DELE of a message already marked goes to the server, whose -ERR says why; the rows stay.
    await type(context, 'DELE 2');
    expect(context.client.commands.at(-1)).toBe('DELE 2');
    expect(context.store.getState().rows.map((row) => row.deleted)).toEqual([false, true, false]);
    await type(context, 'rset');
    expect(context.client.commands.at(-1)).toBe('RSET');
    expect(context.store.getState().rows.every((row) => !row.deleted)).toBe(true);
    expect(context.store.getState().notice?.key).toBe('delete.undone');
  });

  it('QUIT signs out; with messages marked, only after a second QUIT confirms', async () => {
    const context = await signedIn();
    await type(context, 'DELE 1');
    await type(context, 'QUIT');
    expect(context.store.getState().session.kind).toBe('open');
    expect(context.store.getState().console).toMatchObject({
      quitPending: true,
      feedback: { tone: 'warning', key: 'console.confirmQuit', params: { count: 1 } },
    });
    await type(context, 'NOOP'); // anything else cancels
    expect(context.store.getState().console.quitPending).toBe(false);
    await type(context, 'QUIT');
    await type(context, 'QUIT');
    expect(context.store.getState().session.kind).toBe('signedOut');
    expect(context.client.commands.at(-1)).toBe('QUIT');
    expect(context.maildrop.messages).toHaveLength(2);
  });

  it('QUIT with nothing marked signs out at once', async () => {
    const context = await signedIn();
    await type(context, 'quit');
    expect(context.store.getState().session.kind).toBe('signedOut');
  });

  it('walks the history with up and down, keeping the line being typed', async () => {
    const context = await signedIn();
    await type(context, 'STAT');
    await type(context, 'LIST 1');
    await type(context, 'STAT');
    context.actions.setConsoleLine('NO');
    const lines: string[] = [];
    const step = (direction: -1 | 1) => {
      context.actions.stepConsoleHistory(direction);
      lines.push(context.store.getState().console.line);
    };
    step(-1);
    step(-1);
    step(-1);
    step(1);
    step(1);
    step(1);
    expect(lines).toEqual(['STAT', 'LIST 1', 'LIST 1', 'STAT', 'NO', 'NO']);
    for (let i = 0; i < CONSOLE_HISTORY_LINES + 5; i++) await type(context, `LIST ${(i % 3) + 1} x${i}`);
    expect(context.store.getState().console.history).toHaveLength(CONSOLE_HISTORY_LINES);
  });

  it('completes command names from what the server offers', async () => {
    const context = await signedIn();
    context.actions.setConsoleLine('st');
    expect(context.actions.completeConsoleLine()).toBe(true);
    expect(context.store.getState().console.line).toBe('STAT');
    context.actions.setConsoleLine('r');
    expect(context.actions.completeConsoleLine()).toBe(false);
    expect(context.store.getState().console.feedback).toEqual({
      tone: 'info',
      key: 'console.candidates',
      params: { names: 'RETR RSET' },
    });
  });
});
