import { Pop3IntegrityError, Pop3ServerError, type Pop3Client } from '@webpop/pop3';
import type { FetchProgress } from '../progress.js';
import type { Wanted } from './plan.js';
import { FetchStopped } from './summary.js';

/** Messages received but not yet written, at most: bounds memory while keeping the pipeline full. */
const window = 8;

/**
 * RETR of every wanted message, in order, with up to `window` commands queued (the engine pipelines
 * them when the server allows). A message the server refuses, or one whose size disagrees with LIST
 * (the engine's integrity check: it is never saved), goes to `onRefused`; anything that
 * breaks the session (or a local failure thrown by `onMessage`) stops the loop and rejects.
 */
export async function download(
  client: Pop3Client,
  wanted: readonly Wanted[],
  interrupt: AbortSignal | undefined,
  progress: FetchProgress,
  onMessage: (message: Wanted, bytes: Uint8Array) => Promise<void>,
  onRefused: (message: Wanted, error: Pop3ServerError | Pop3IntegrityError) => void,
): Promise<void> {
  const stop = new AbortController();
  const signal = interrupt ? AbortSignal.any([stop.signal, interrupt]) : stop.signal;
  const pending: Array<{ message: Wanted; reply: Promise<Uint8Array> }> = [];
  let next = 0;
  const refill = () => {
    while (pending.length < window && next < wanted.length && !signal.aborted) {
      const message = wanted[next++]!;
      const reply = client.retr(message.number, {
        signal,
        onProgress: (received, total) => progress.transfer(message.number, received, total),
      });
      reply.catch(() => {}); // awaited below, in order; this only keeps early rejections handled
      pending.push({ message, reply });
    }
  };
  try {
    refill();
    for (let item = pending.shift(); item; item = pending.shift()) {
      let bytes: Uint8Array;
      try {
        bytes = await item.reply;
      } catch (error) {
        if (!(error instanceof Pop3ServerError || error instanceof Pop3IntegrityError)) throw error;
        onRefused(item.message, error);
        refill();
        continue;
      }
      await onMessage(item.message, bytes);
      refill();
    }
    if (interrupt?.aborted) throw new FetchStopped('interrupted', 130);
  } catch (error) {
    stop.abort();
    throw error;
  }
}
