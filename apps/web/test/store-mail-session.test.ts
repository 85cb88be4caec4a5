import { Pop3ClosedError } from '@webpop/pop3';
import { describe, expect, it } from 'vitest';
import { MailSession, QUIT_TIMEOUT_MS } from '../src/store/mail-session.js';
import { FakeClient, FakeMaildrop } from './support/fake-client.js';
import { threeMessages } from './support/app.js';

function session(now: () => number = () => 0, keepaliveMs = 60_000) {
  const client = new FakeClient(new FakeMaildrop(threeMessages()), {
    onStage: () => {},
    onLog: () => {},
    onClosed: () => {},
  });
  return { client, session: new MailSession(client, { now, keepaliveMs }) };
}

describe('MailSession', () => {
  it('QUIT: aborts its signal first, and asks the engine to give up after QUIT_TIMEOUT_MS', async () => {
    const { client, session: mail } = session();
    const quitting = mail.quit();
    expect(mail.signal.aborted).toBe(true);
    expect(await quitting).toBe(true);
    expect(client.quitOptions).toEqual([{ timeoutMs: QUIT_TIMEOUT_MS }]);
  });

  it('QUIT that fails: closes the link and says the deletions were not committed', async () => {
    const { client, session: mail } = session();
    client.quit = async () => {
      throw new Pop3ClosedError('the server closed the connection while waiting for the reply to QUIT');
    };
    expect(await mail.quit()).toBe(false);
    expect(client.state).toBe('ended');
  });

  it('a drop aborts the signal and tells the listeners once; after the app ended it, nothing', () => {
    const { client, session: mail } = session();
    const heard: unknown[] = [];
    mail.onDrop((error) => heard.push(error));
    const reason = new Pop3ClosedError('the server closed the connection');
    client.closeReason = reason;
    mail.drop(new Error('noticed by a command'));
    mail.drop(new Error('again'));
    expect(mail.signal.aborted).toBe(true);
    expect(heard).toEqual([reason]);

    const other = session();
    const late: unknown[] = [];
    other.session.onDrop((error) => late.push(error));
    other.session.close();
    other.session.drop(new Error('after close'));
    expect(late).toEqual([]);
  });

  it('keepalive: NOOP only after the interval without activity, never while a command runs', async () => {
    let time = 1_000;
    const { client, session: mail } = session(() => time, 60_000);
    await mail.keepalive(false);
    expect(client.commands).not.toContain('NOOP');
    time += 60_000;
    let release: () => void = () => {};
    const running = mail.run(() => new Promise<void>((resolve) => (release = resolve)));
    await mail.keepalive(true);
    expect(client.commands).not.toContain('NOOP');
    release();
    await running;
    time += 60_000;
    await mail.keepalive(false);
    expect(client.commands).toEqual(['NOOP']);
  });

  it('a failing NOOP is a drop', async () => {
    const { client, session: mail } = session();
    const heard: unknown[] = [];
    mail.onDrop((error) => heard.push(error));
    client.noop = async () => {
      throw new Pop3ClosedError('the server closed the connection while waiting for the reply to NOOP');
    };
    await mail.keepalive(true);
    expect(heard).toHaveLength(1);
    expect(mail.signal.aborted).toBe(true);
  });
});
