import type { Capabilities } from './capabilities.js';
import { refusal } from './refusal.js';
import type { CommandSpec, SmtpConnection } from './connection.js';
import {
  SmtpMessageError,
  SmtpOutcomeUnknownError,
  SmtpProtocolError,
  SmtpRecipientsError,
  SmtpServerError,
  SmtpSizeError,
  SmtpUnsupportedError,
  type EnhancedStatus,
  type RefusedRecipient,
} from './errors.js';
import { limits } from './limits.js';
import { DotStuffer } from './protocol/dot-stuffing.js';
import { hasEightBitBytes } from './protocol/eight-bit.js';
import { mailCommand, rcptCommand, type DsnOptions } from './protocol/commands.js';
import { replyText, type Reply } from './protocol/reply.js';

export interface Envelope {
  /** The reverse-path (RFC 5321 MAIL FROM); '' for the null path `<>`. */
  readonly from: string;
  readonly to: readonly string[];
}

/** The message as bytes (CRLF lines), or as chunks streamed from a file or a Blob. */
export type MessageSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * What to do when some recipients are refused at RCPT: `abort` (the default: send to nobody, RSET,
 * throw SmtpRecipientsError naming each refused address), `send-to-accepted`, or ask: the function
 * gets the refusals and returns whether to send to the rest (a user's "send anyway?").
 */
export type RefusedRecipientsPolicy =
  | 'abort'
  | 'send-to-accepted'
  | ((refused: readonly RefusedRecipient[], accepted: readonly string[]) => boolean | Promise<boolean>);

export interface SendOptions {
  readonly refusedRecipients?: RefusedRecipientsPolicy;
  /**
   * The message's size in bytes, needed for SIZE (RFC 1870) when it is streamed; counted for a
   * Uint8Array. A message larger than the server's SIZE is refused before anything is sent.
   */
  readonly size?: number;
  /**
   * The message holds bytes over 127 (8BITMIME, RFC 6152). Found by scanning a Uint8Array; for a
   * stream the caller says so. Refused when the server does not offer 8BITMIME.
   */
  readonly eightBit?: boolean;
  /** RFC 3461 delivery status notifications, sent only where the server offers DSN. */
  readonly dsn?: DsnOptions;
  readonly signal?: AbortSignal;
  /** Message bytes handed to the link so far (the wire's, dot-stuffing included). */
  readonly onProgress?: (sentBytes: number) => void;
}

export interface SendResult {
  readonly accepted: readonly string[];
  /** Refused recipients the policy chose to send without. */
  readonly refused: readonly RefusedRecipient[];
  /** The server's final reply to the message (often holds its queue id). */
  readonly code: number;
  readonly enhancedStatus: EnhancedStatus | undefined;
  readonly serverText: string;
  /** DSN parameters were sent. */
  readonly dsn: boolean;
  /** MAIL, RCPT (and DATA where safe) went in one flight (RFC 2920). */
  readonly pipelined: boolean;
  /** Message bytes on the wire, dot-stuffing and terminator included. */
  readonly sentBytes: number;
}

/** The transaction: checks, MAIL/RCPT (pipelined), the policy, DATA, the message, the final reply. */
export async function sendMessage(
  connection: SmtpConnection,
  capabilities: Capabilities,
  envelope: Envelope,
  message: MessageSource,
  options: SendOptions,
  rset: () => Promise<void>,
): Promise<SendResult> {
  if (envelope.to.length === 0) throw new SmtpMessageError('a message needs at least one recipient');
  if (envelope.to.length > limits.maxRecipients) {
    throw new SmtpMessageError(
      `at most ${limits.maxRecipients} recipients per message (RFC 5321 section 4.5.3.1.8)`,
    );
  }
  const size = options.size ?? (message instanceof Uint8Array ? message.length : undefined);
  const eightBit = options.eightBit ?? (message instanceof Uint8Array && hasEightBitBytes(message));
  const utf8Addresses = [envelope.from, ...envelope.to].some((address) => /[\u0080-\uffff]/.test(address));
  checkServerTakes(capabilities, { size, eightBit, utf8Addresses });

  const dsn = options.dsn !== undefined && capabilities.dsn;
  const mail = mailCommand(envelope.from, {
    size: capabilities.sizeLimit !== undefined ? size : undefined,
    eightBit: eightBit && capabilities.eightBitMime,
    smtpUtf8: utf8Addresses,
    dsn: dsn ? options.dsn : undefined,
  });
  const rcpts = envelope.to.map((address) => rcptCommand(address, dsn ? options.dsn : undefined));
  const policy = options.refusedRecipients ?? 'abort';
  const pipelined = capabilities.pipelining;
  // DATA joins the flight only when its 354 may be used whatever the RCPTs say: after 354 the only
  // way not to send is to drop the connection.
  const dataInFlight = pipelined && (envelope.to.length === 1 || policy === 'send-to-accepted');
  const data: CommandSpec = { line: 'DATA', name: 'DATA', timeout: 'dataInitiation' };

  const specs = [mail, ...rcpts];
  const replies: Promise<Reply>[] = [];
  if (pipelined) {
    replies.push(...connection.flight(dataInFlight ? [...specs, data] : specs));
  } else {
    // Without PIPELINING each command waits for its reply; a refused MAIL ends it here.
    for (const spec of specs) {
      const reply = await connection.command(spec);
      replies.push(Promise.resolve(reply));
      if (spec === mail && reply.code !== 250) break;
    }
  }
  // Each is awaited below in order; the first failure ends the wait, so the rest must not go unhandled.
  for (const reply of replies) reply.catch(() => undefined);
  const mailReply = await replies[0]!;
  if (mailReply.code !== 250) {
    await Promise.allSettled(replies);
    await rset();
    throw refusal('MAIL FROM', mailReply, 'mail');
  }
  const accepted: string[] = [];
  const refused: RefusedRecipient[] = [];
  for (const [i, address] of envelope.to.entries()) {
    const reply = await replies[i + 1]!;
    if (reply.code === 250 || reply.code === 251) accepted.push(address);
    else refused.push({ address, error: refusal(`RCPT TO:<${address}>`, reply, 'rcpt') as SmtpServerError });
  }
  const dataReply = dataInFlight ? replies[replies.length - 1]! : undefined;

  const sendToRest =
    refused.length === 0 ||
    (accepted.length > 0 &&
      (policy === 'send-to-accepted' || (typeof policy === 'function' && (await policy(refused, accepted)))));
  if (!sendToRest) {
    if (dataReply && (await dataReply).code === 354) {
      throw new SmtpProtocolError(
        'the server took DATA with every recipient refused; the connection was closed',
      );
    }
    await rset();
    throw new SmtpRecipientsError(refused, accepted);
  }

  const go = await (dataReply ?? connection.command(data));
  if (go.code !== 354) {
    await rset();
    throw refusal('DATA', go, 'data');
  }
  const sentBytes = await stream(connection, message, options.onProgress);
  // A failure before the final dot goes out: nothing can have been queued (the server drops a
  // transaction it did not see end). Any failure after it: the server may have queued it.
  if (connection.closed) throw connection.closeReason;
  const final = await connection.endOfData(sentBytes.terminator, sentBytes.total).catch((error: unknown) => {
    throw new SmtpOutcomeUnknownError(
      error instanceof Error ? error : new Error(String(error)),
      accepted,
      refused,
      sentBytes.total,
    );
  });
  if (final.code !== 250) throw refusal('end of DATA', final, 'message');
  return {
    accepted,
    refused,
    code: final.code,
    enhancedStatus: final.enhancedStatus,
    serverText: replyText(final),
    dsn,
    pipelined,
    sentBytes: sentBytes.total,
  };
}

function checkServerTakes(
  capabilities: Capabilities,
  message: { size: number | undefined; eightBit: boolean; utf8Addresses: boolean },
): void {
  const limit = capabilities.sizeLimit;
  if (limit !== undefined && limit > 0 && message.size !== undefined && message.size > limit) {
    throw new SmtpSizeError(message.size, limit);
  }
  if (message.utf8Addresses && !capabilities.smtpUtf8) {
    throw new SmtpUnsupportedError(
      'an address is not ASCII and the server does not offer SMTPUTF8 (RFC 6531)',
    );
  }
  if (message.eightBit && !capabilities.eightBitMime && !capabilities.smtpUtf8) {
    throw new SmtpUnsupportedError(
      'the message holds 8-bit bytes and the server does not offer 8BITMIME (RFC 6152): encode it as 7bit',
    );
  }
}

/** Streams the message through the dot-stuffer; returns the terminator and the wire byte count. */
async function stream(
  connection: SmtpConnection,
  message: MessageSource,
  onProgress: ((sentBytes: number) => void) | undefined,
): Promise<{ terminator: Uint8Array; total: number }> {
  const stuffer = new DotStuffer();
  let total = 0;
  const chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array> =
    message instanceof Uint8Array ? [message] : message;
  const piece = connection.dataPieceBytes;
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += piece) {
      const wire = stuffer.encode(chunk.subarray(at, at + piece));
      await connection.data(wire);
      total += wire.length;
    }
    onProgress?.(total);
  }
  const terminator = stuffer.end();
  return { terminator, total: total + terminator.length };
}
