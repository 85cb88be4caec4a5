import { describe, expect, it } from 'vitest';
import { SmtpOutcomeUnknownError } from '../src/errors.js';
import { bytes, largeSource, smtpServers } from './support/servers.js';

const servers = smtpServers();
const envelope = { from: 'alice@example.org', to: ['bob@example.org'] };
const message = bytes('Subject: maybe\r\n\r\nhello\r\n');
/** What testkit's server answers to the final dot on its first connection. */
const finalReply = '250 2.0.0 Ok: queued as T1\r\n';

/**
 * The server takes the message and its reply to the final dot is lost: cut after each of its bytes
 * (none, "2", "25", … all but the final LF), then a drop or silence. Whatever the cut, the engine must
 * say "may have been accepted", never "closed"/"timeout" (read as nothing delivered) nor success.
 */
describe('the reply to the final dot lost', () => {
  for (const then of ['drop', 'stall'] as const) {
    it(`${then} at every byte boundary of the 250: outcome-unknown, with who may have it`, async () => {
      for (let cut = 0; cut < finalReply.length; cut += 1) {
        const server = await servers.start({ faults: { cutFinalReply: { replyBytes: cut, then } } });
        const client = await servers.connect(
          server,
          then === 'stall' ? { timeouts: { dataTermination: 100 } } : {},
        );
        const error = await client.send(envelope, message).catch((e: unknown) => e);
        expect(error, `cut after ${cut} bytes`).toBeInstanceOf(SmtpOutcomeUnknownError);
        const unknown = error as SmtpOutcomeUnknownError;
        expect(unknown.kind).toBe('outcome-unknown');
        expect(unknown.accepted).toEqual(['bob@example.org']);
        expect(unknown.sentBytes).toBe(message.length + 3);
        expect(unknown.cause).toMatchObject({ kind: then === 'drop' ? 'closed' : 'timeout' });
        // The server did queue it (a loaded machine may read the dot after the client's timeout):
        // this is the case the words are for.
        await expect.poll(() => server.messages.length).toBe(1);
        expect(client.state).toBe('closed');
        await server.close();
      }
      // 28 sessions each, with STARTTLS: minutes on a loaded machine, never a speed check.
    }, 180_000);
  }

  it('a cancel after the final dot is an unknown outcome too, not "aborted"', async () => {
    const server = await servers.start({ faults: { cutFinalReply: { replyBytes: 3, then: 'stall' } } });
    const client = await servers.connect(server);
    const controller = new AbortController();
    const sending = client.send(envelope, message, {
      signal: controller.signal,
      onProgress: () => setTimeout(() => controller.abort(), 50),
    });
    const error = await sending.catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'outcome-unknown', cause: { kind: 'aborted' } });
  });

  it('a drop seen before the final dot goes out stays "closed"', async () => {
    const server = await servers.start({ faults: { dropMidData: { afterBytes: 2000 } } });
    const client = await servers.connect(server);
    // Larger than loopback's buffers, so that the drop is seen mid-stream (client.test.ts too).
    const error = await client.send(envelope, largeSource(64)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'closed' });
    expect(server.messages).toHaveLength(0);
  });

  it('a whole reply followed by a drop is the reply: sent', async () => {
    const server = await servers.start({
      faults: { cutFinalReply: { replyBytes: finalReply.length, then: 'drop' } },
    });
    const client = await servers.connect(server);
    const result = await client.send(envelope, message);
    expect(result).toMatchObject({ code: 250, serverText: '2.0.0 Ok: queued as T1'.slice(6) });
  });
});
