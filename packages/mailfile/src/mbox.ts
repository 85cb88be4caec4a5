import { concatBytes } from './bytes.js';
import { MboxrdDecoder, type MboxEvent } from './decoder.js';
import { MboxrdEncoder } from './encoder.js';
import type { Envelope, FromLine } from './from-line.js';

type Chunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** One message to write: its envelope, and its bytes whole or as chunks. */
export interface MboxInput {
  readonly envelope: Envelope;
  readonly content: Uint8Array | Chunks;
}

/** One message read back: its `From ` line and its bytes. */
export interface MboxMessage {
  readonly from: FromLine;
  readonly bytes: Uint8Array;
}

/** Writes messages as one mboxrd stream, a message (and a chunk of it) at a time. */
export async function* encodeMbox(
  messages: AsyncIterable<MboxInput> | Iterable<MboxInput>,
): AsyncGenerator<Uint8Array> {
  const encoder = new MboxrdEncoder();
  for await (const message of messages) {
    yield encoder.begin(message.envelope);
    const chunks = message.content instanceof Uint8Array ? [message.content] : message.content;
    for await (const chunk of chunks) {
      const bytes = encoder.write(chunk);
      if (bytes.length > 0) yield bytes;
    }
    yield encoder.end();
  }
}

/** Reads an mboxrd stream into events (start, data, end), a chunk at a time. */
export async function* decodeMbox(chunks: Chunks): AsyncGenerator<MboxEvent> {
  const decoder = new MboxrdDecoder();
  for await (const chunk of chunks) yield* decoder.push(chunk);
  yield* decoder.end();
}

/** Reads an mboxrd stream into whole messages (each held in memory until it ends). */
export async function* mboxMessages(chunks: Chunks): AsyncGenerator<MboxMessage> {
  const collect = messageCollector();
  for await (const event of decodeMbox(chunks)) {
    const message = collect(event);
    if (message) yield message;
  }
}

/** A whole mbox in memory → its messages. */
export function splitMbox(bytes: Uint8Array): MboxMessage[] {
  const decoder = new MboxrdDecoder();
  const collect = messageCollector();
  return [...decoder.push(bytes), ...decoder.end()].flatMap((event) => collect(event) ?? []);
}

/** Gathers events into messages: returns each message at its end event. */
function messageCollector(): (event: MboxEvent) => MboxMessage | undefined {
  let from: FromLine | undefined;
  let parts: Uint8Array[] = [];
  return (event) => {
    if (event.kind === 'start') {
      from = event.from;
      parts = [];
    } else if (event.kind === 'data') {
      parts.push(event.bytes);
    } else if (from !== undefined) {
      return { from, bytes: concatBytes(parts) };
    }
    return undefined;
  };
}

/** Messages in memory → a whole mbox. */
export function joinMbox(messages: ReadonlyArray<{ envelope: Envelope; bytes: Uint8Array }>): Uint8Array {
  const encoder = new MboxrdEncoder();
  return concatBytes(messages.map((message) => encoder.encodeMessage(message.bytes, message.envelope)));
}
