import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScriptedTransport } from '../../pop3/test/support/scripted-transport.js';
import { SmtpClient } from '../src/client.js';
import { limits } from '../src/limits.js';
import { bytes } from './support/servers.js';

const ehlo = '250-test\r\n250 PIPELINING\r\n';

/** A server that answers EHLO and then nothing: every reply after it is awaited until its timeout. */
function silentAfterEhlo() {
  return new ScriptedTransport('220 ready\r\n', (line) =>
    line.startsWith('EHLO') ? ehlo : { silence: true },
  );
}

async function ready(transport: ScriptedTransport, options = {}) {
  const connecting = SmtpClient.connect(transport, options);
  await vi.advanceTimersByTimeAsync(0);
  const client = await connecting;
  const greeted = client.ehlo();
  await vi.advanceTimersByTimeAsync(0);
  await greeted;
  return client;
}

describe('RFC 5321 section 4.5.3.2 timeouts', () => {
  afterEach(() => vi.useRealTimers());

  it('MAIL waits 5 minutes for its reply, then fails with a timeout and closes the link', async () => {
    vi.useFakeTimers();
    const transport = silentAfterEhlo();
    const client = await ready(transport);
    const sending = client.send({ from: 'a@example.org', to: ['b@example.org'] }, bytes('x\r\n'));
    const outcome = sending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(limits.timeouts.mail - 1);
    expect(transport.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({
      kind: 'timeout',
      command: 'MAIL FROM',
      timeoutMs: limits.timeouts.mail,
    });
    expect(transport.closed).toBe(true);
    expect(client.state).toBe('closed');
  });

  it('the greeting waits 5 minutes; the end of DATA 10 minutes; each can be set', async () => {
    vi.useFakeTimers();
    const mute = new ScriptedTransport({ silence: true }, () => ({ silence: true }));
    const greeting = SmtpClient.connect(mute).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(limits.timeouts.greeting);
    expect(await greeting).toMatchObject({ kind: 'timeout', command: 'greeting' });

    let inData = false;
    const transport = new ScriptedTransport('220 ready\r\n', (line) => {
      if (line.startsWith('EHLO')) return ehlo;
      if (inData) return { silence: true };
      if (line === 'DATA') {
        inData = true;
        return '354 go\r\n';
      }
      return '250 ok\r\n';
    });
    const client = await ready(transport, { timeouts: { dataTermination: 1000 } });
    const sending = client.send({ from: 'a@example.org', to: ['b@example.org'] }, bytes('x\r\n'));
    const outcome = sending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(999);
    expect(transport.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    // The whole message went out: the server may have queued it, so the timeout is an unknown outcome.
    const unknown = (await outcome) as Error;
    expect(unknown).toMatchObject({ kind: 'outcome-unknown', accepted: ['b@example.org'], sentBytes: 6 });
    expect(unknown.cause).toMatchObject({ kind: 'timeout', command: 'end of DATA', timeoutMs: 1000 });
    expect(transport.writes.flat()).toEqual(expect.arrayContaining(['DATA', 'x', '.']));
  });

  it('an AbortSignal ends a send at once, closing the link', async () => {
    vi.useFakeTimers();
    const transport = silentAfterEhlo();
    const client = await ready(transport);
    const controller = new AbortController();
    const sending = client.send({ from: 'a@example.org', to: ['b@example.org'] }, bytes('x\r\n'), {
      signal: controller.signal,
    });
    const outcome = sending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    expect(await outcome).toMatchObject({ kind: 'aborted' });
    expect(transport.closed).toBe(true);
  });
});
