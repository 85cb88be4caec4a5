import { isAscii } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { addressListOf, formatMailbox, mailboxesOf, type MailAddress } from '@webpop/pop3/mail';
import type { Envelope } from '@webpop/smtp';
import { UsageError } from '../args.js';
import { LocalError } from '../connect.js';
import { isTty, type Io } from '../io.js';
import type { SendArgs } from './options.js';

/** The bytes to send, the envelope they go in, and whether they need 8BITMIME. */
export interface Outgoing {
  readonly bytes: Uint8Array;
  readonly envelope: Envelope;
  /**
   * A byte over 127 is in the message (BODY=8BITMIME). Found by Node's native `buffer.isAscii`
   * (35.9 MB: 4–5 ms of CPU, against 10–13 ms for the engine's portable scan) for an .eml and for a
   * built message alike: MailComposer writes an address's non-ASCII local part and domain into
   * From/To as UTF-8 (tried: `jörg@exämple.org` goes as it is), so built is not known to be 7-bit.
   */
  readonly eightBit: boolean;
}

/**
 * The message `webpop send` sends: the .eml given (its Bcc fields removed), or one built from the
 * options by nodemailer's MailComposer (RFC 2047 names and subject, RFC 2231 file names, the body
 * quoted-printable where it needs to be, attachments base64).
 */
export async function outgoingMessage(io: Io, args: SendArgs): Promise<Outgoing> {
  if (args.file !== undefined) return fromFile(await readSource(io, args.file, 'message'), args);
  const to = [...args.to, ...args.cc, ...args.bcc].map(({ address }) => address);
  const bytes = await build(io, args);
  return { bytes, envelope: { from: args.from!.address, to }, eightBit: !isAscii(bytes) };
}

/**
 * An .eml as it is, but without its Bcc fields (a Bcc is for the envelope, never for the
 * recipients to read). The envelope's recipients are --to/--cc/--bcc where given, else the
 * message's To, Cc and Bcc (as `sendmail -t`); its sender --from, else the message's Sender or From.
 */
export function fromFile(raw: Uint8Array, args: Pick<SendArgs, 'from' | 'to' | 'cc' | 'bcc'>): Outgoing {
  const given = [...args.to, ...args.cc, ...args.bcc];
  const fromHeaders = (field: string) => mailboxesOf(addressListOf(raw, field));
  const recipients =
    given.length > 0 ? given : [...fromHeaders('to'), ...fromHeaders('cc'), ...fromHeaders('bcc')];
  const sender = args.from ?? fromHeaders('sender')[0] ?? fromHeaders('from')[0];
  if (sender === undefined) {
    throw new UsageError('the message has no From: give --from ADDRESS', 'send');
  }
  const to = unique(recipients.map(({ address }) => address).filter((address) => address !== ''));
  if (to.length === 0) {
    throw new UsageError('the message has no To, Cc or Bcc address: give --to ADDRESS', 'send');
  }
  const bytes = withoutBcc(raw);
  return { bytes, envelope: { from: sender.address, to }, eightBit: !isAscii(bytes) };
}

/** The message without its `Bcc:` header fields (continuation lines included); the rest byte for byte. */
export function withoutBcc(raw: Uint8Array): Uint8Array {
  // latin1 maps each byte to one character and back: nothing but the removed fields changes.
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  const headerEnd = end ? end.index + end[0].length : text.length;
  const fields = text.slice(0, headerEnd).split(/(?<=\n)(?=[^ \t])/);
  const kept = fields.filter((field) => !/^bcc[ \t]*:/i.test(field));
  if (kept.length === fields.length) return raw;
  return new Uint8Array(Buffer.from(kept.join('') + text.slice(headerEnd), 'latin1'));
}

async function build(io: Io, args: SendArgs): Promise<Uint8Array> {
  const attachments = await Promise.all(
    args.attach.map(async (path) => ({
      filename: basename(path),
      content: await readSource(io, path, 'attachment'),
    })),
  );
  // Loaded here, not at start: every other command would pay for it.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer/index.js');
  const composer = new MailComposer({
    from: formatMailbox(args.from!),
    to: list(args.to),
    cc: list(args.cc),
    // Bcc stays off the message: it is only in the envelope.
    subject: args.subject ?? '',
    text: Buffer.from(await bodyText(io, args)).toString('utf8'),
    attachments: attachments.map(({ filename, content }) => ({ filename, content: Buffer.from(content) })),
  });
  const built = await new Promise<Buffer>((resolve, reject) =>
    composer.compile().build((error, bytes) => (error ? reject(error) : resolve(bytes))),
  );
  return new Uint8Array(built.buffer, built.byteOffset, built.byteLength);
}

/** --body TEXT, --body-file FILE (`-`: stdin), else stdin when it is not a terminal, else nothing. */
async function bodyText(io: Io, args: SendArgs): Promise<Uint8Array> {
  const body = args.body;
  if (body !== undefined && 'text' in body) return new TextEncoder().encode(body.text);
  if (body !== undefined) return readSource(io, body.file, 'body');
  return isTty(io, 'stdin') ? new Uint8Array() : readStream(io.stdin);
}

function list(addresses: readonly MailAddress[]): string | undefined {
  return addresses.length === 0 ? undefined : addresses.map(formatMailbox).join(', ');
}

function unique(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function readSource(io: Io, path: string, what: string): Promise<Uint8Array> {
  if (path === '-') return readStream(io.stdin);
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new LocalError(`cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}
