// The message stream waits for the link (the transport's drained()) between pieces, and the RFC 5321
// section 4.5.3.2.5 data-block timeout ends a link that stops taking them.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fuzzRuns } from '@webpop/testkit';
import { concatBytes } from '@webpop/pop3/codec';
import { SmtpClient } from '../src/client.js';
import { limits } from '../src/limits.js';
import { DotStuffer } from '../src/protocol/dot-stuffing.js';
import { cutAt } from './support/cut-at.js';
import { PacedTransport, type Pace } from './support/paced-transport.js';

const envelope = { from: 'a@example.org', to: ['b@example.org'] };
const bytes = (text: string) => new TextEncoder().encode(text);

async function ready(transport: PacedTransport, options = {}) {
  const client = await SmtpClient.connect(transport, options);
  await client.ehlo();
  return client;
}

/** The oracle: the whole message stuffed in one go (the stuffer's own tests cut it everywhere). */
function stuffedWhole(message: Uint8Array): Uint8Array {
  const stuffer = new DotStuffer();
  return concatBytes([stuffer.encode(message), stuffer.end()]);
}

/** Bytes as a latin1 string: vitest compares it at once (a typed array element by element). */
const raw = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** An async source that counts how many chunks the engine has pulled. */
function countingSource(chunks: readonly Uint8Array[]) {
  const source = {
    pulled: 0,
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        source.pulled++;
        yield chunk;
      }
    },
  };
  return source;
}

describe('backpressure while streaming the message', () => {
  afterEach(() => vi.useRealTimers());

  it('pulls no further chunk from the source until the link has taken the last piece', async () => {
    const transport = new PacedTransport('held');
    const client = await ready(transport);
    const source = countingSource([bytes('one\r\n'), bytes('two\r\n'), bytes('three\r\n')]);
    const sending = client.send(envelope, source);
    await transport.settled();
    expect(source.pulled).toBe(1);
    expect(transport.dataWrites).toHaveLength(1);
    for (const pulled of [2, 3]) {
      transport.release();
      await transport.settled();
      expect(source.pulled).toBe(pulled);
      expect(transport.dataWrites).toHaveLength(pulled);
    }
    transport.release();
    const result = await sending;
    expect(result.code).toBe(250);
    expect(new TextDecoder().decode(transport.wire)).toBe('one\r\ntwo\r\nthree\r\n.\r\n');
    expect(transport.maxUntaken).toBe(1);
  });

  it('cuts one large chunk into pieces of dataChunkBytes and waits after each', async () => {
    const transport = new PacedTransport('held');
    const client = await ready(transport);
    const message = new Uint8Array(limits.dataChunkBytes * 3).fill(0x61);
    message.set(bytes('\r\n'), message.length - 2);
    const sending = client.send(envelope, message);
    for (let piece = 1; piece <= 3; piece++) {
      await transport.settled();
      expect(transport.dataWrites).toHaveLength(piece);
      expect(transport.dataWrites[piece - 1]!.length).toBe(limits.dataChunkBytes);
      transport.release();
    }
    await sending;
    expect(raw(transport.wire)).toBe(raw(stuffedWhole(message)));
  });

  it("cuts pieces to the transport's maxSendBytes, even when stuffing doubles every byte", async () => {
    for (const worst of ['\n.', '.\r\n', '\n']) {
      const transport = new PacedTransport('immediate', 1000);
      const client = await ready(transport);
      const message = bytes(`${worst.repeat(3000)}\r\n`);
      await client.send(envelope, message);
      expect(raw(transport.wire), JSON.stringify(worst)).toBe(raw(stuffedWhole(message)));
      const pieces = transport.dataWrites.slice(0, -1); // the last is the terminator
      expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(1000);
      expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil((message.length * 2 - 2) / 1000));
    }
  });

  it('keeps the wire bytes exact with a dot, CR or LF on each side of a piece boundary', async () => {
    const edge = limits.dataChunkBytes;
    for (const tail of ['\r\n.', '\r\n..\r\n', '\n.', '\r', '.\r\n', '\r\n.\r\n']) {
      for (let shift = -tail.length; shift <= 1; shift++) {
        const message = new Uint8Array(edge + 8).fill(0x78);
        message.set(bytes(tail), edge + shift);
        message.set(bytes('\r\n'), message.length - 2);
        const transport = new PacedTransport('immediate');
        const client = await ready(transport);
        await client.send(envelope, message);
        expect(raw(transport.wire), `${JSON.stringify(tail)} at ${shift}`).toBe(raw(stuffedWhole(message)));
      }
    }
  });

  it('fails with the data-block timeout when the link takes nothing for 3 minutes, and closes it', async () => {
    const transport = new PacedTransport('never');
    const client = await ready(transport);
    vi.useFakeTimers();
    const outcome = client.send(envelope, bytes('x\r\n')).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(limits.timeouts.dataBlock - 1);
    expect(transport.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({
      kind: 'timeout',
      command: 'DATA block',
      timeoutMs: limits.timeouts.dataBlock,
    });
    expect(transport.closed).toBe(true);
    expect(client.state).toBe('closed');
    // The final dot never went: the server cannot take a cut message as whole.
    expect(transport.sent).not.toContain('.');
  });

  it('the data-block timeout can be set, and runs again for each piece', async () => {
    const transport = new PacedTransport('held');
    const client = await ready(transport, { timeouts: { dataBlock: 1000 } });
    vi.useFakeTimers();
    const message = new Uint8Array(limits.dataChunkBytes * 2).fill(0x61);
    const outcome = client.send(envelope, message).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(900);
    transport.release();
    await vi.advanceTimersByTimeAsync(900);
    expect(transport.closed).toBe(false);
    expect(transport.dataWrites).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toMatchObject({ kind: 'timeout', command: 'DATA block', timeoutMs: 1000 });
  });

  it('a link that fails while a piece is held fails the send as closed', async () => {
    const transport = new PacedTransport('held');
    const client = await ready(transport);
    const outcome = client.send(envelope, bytes('x\r\n')).catch((error: unknown) => error);
    await transport.settled();
    expect(transport.heldCount).toBe(1);
    transport.failHeld(Object.assign(new Error('reset'), { kind: 'closed' }));
    expect(await outcome).toMatchObject({ kind: 'closed' });
    expect(transport.closed).toBe(true);
  });

  it('an abort while a piece is held ends the send at once', async () => {
    const transport = new PacedTransport('held');
    const client = await ready(transport);
    const controller = new AbortController();
    const outcome = client
      .send(envelope, bytes('x\r\n'), { signal: controller.signal })
      .catch((error: unknown) => error);
    await transport.settled();
    controller.abort();
    expect(await outcome).toMatchObject({ kind: 'aborted' });
    expect(transport.closed).toBe(true);
  });
});

describe('backpressure (property)', () => {
  const token = fc.constantFrom('.', '\r\n', '\n', '\r', 'a', '..', 'x'.repeat(4096), '\u00e9');
  const message = fc
    .array(token, { maxLength: 60 })
    .map((tokens) => bytes(tokens.join('')))
    .filter((b) => b.length > 0);

  it('any message, cut anywhere, paced any way: exact wire bytes, one piece at a time', async () => {
    await fc.assert(
      fc.asyncProperty(
        message,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.option(fc.integer({ min: 2, max: 20_000 }), { nil: undefined }),
        async (all, cuts, paces, maxSendBytes) => {
          const chunks = cutAt(all, cuts);
          const transport = new PacedTransport('immediate', maxSendBytes);
          const client = await ready(transport);
          const source = countingSource(chunks);
          const sending = client.send(envelope, source, { eightBit: true });
          for (let turn = 0; turn < 10_000; turn++) {
            const pace: Pace = paces[turn % paces.length]! ? 'immediate' : 'held';
            transport.pace = pace;
            await transport.settled();
            if (transport.heldCount > 0) transport.release();
            else if (transport.sent.includes('.')) break;
          }
          await sending;
          expect(raw(transport.wire)).toBe(raw(stuffedWhole(all)));
          expect(transport.maxUntaken).toBeLessThanOrEqual(1);
          for (const write of transport.dataWrites) {
            expect(write.length).toBeLessThanOrEqual(Math.max(maxSendBytes ?? 2 * limits.dataChunkBytes, 5));
          }
        },
      ),
      { numRuns: fuzzRuns(100, { cost: 10 }) },
    );
  });
});
