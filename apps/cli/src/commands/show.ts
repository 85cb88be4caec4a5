import { simpleParser, type ParsedMail } from 'mailparser';
import type { Pop3Client } from '@webpop/pop3';
import type { ConnectionArgs, MessageRef } from '../args.js';
import { saveAttachments } from '../attachments.js';
import { withMailbox } from '../connect.js';
import { formatBytes, printable, printableText } from '../format.js';
import { addressListOf, decodeHeaderFields, formatAddressList } from '@webpop/pop3';
import { println, type Io } from '../io.js';

export interface ShowOptions {
  readonly message: MessageRef;
  readonly raw: boolean;
  /** Write each attachment's decoded bytes into this folder. */
  readonly saveAttachments?: string | undefined;
}

/** `show --uid UIDL` for a UIDL the server does not list. */
export class NoSuchUid extends Error {
  override name = 'NoSuchUid';
  constructor(readonly uid: string) {
    super(
      `no message on the server has the UIDL ${JSON.stringify(uid)} (webpop list shows each message's UIDL)`,
    );
  }
}

/** The message's number in this session: as given, or the one UIDL lists for the UIDL given. */
async function numberOf(client: Pop3Client, message: MessageRef): Promise<number> {
  if ('number' in message) return message.number;
  const found = (await client.uidl()).find((entry) => entry.uid === message.uid);
  if (!found) throw new NoSuchUid(message.uid);
  return found.number;
}

/**
 * RETR N, then the message parsed: headers, text, attachments (or the exact bytes with --raw). The
 * subject and the addresses come from the engine's header decoder and address-list parser (the ones
 * the web app's list uses); the body and attachments from mailparser.
 */
export async function showCommand(io: Io, args: ConnectionArgs, options: ShowOptions): Promise<number> {
  const bytes = await withMailbox(io, args, async (client) =>
    client.retr(await numberOf(client, options.message), { signal: io.signal }),
  );

  if (options.raw) {
    io.stdout.write(bytes);
    return 0;
  }
  const mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const fields = decodeHeaderFields(bytes);
  const addresses = (field: string) => formatAddressList(addressListOf(bytes, field));
  const savedAs =
    options.saveAttachments === undefined
      ? undefined
      : await saveAttachments(
          options.saveAttachments,
          mail.attachments.map((attachment) => ({
            filename: attachment.filename,
            content: attachment.content,
          })),
        );
  if (args.json) println(io.stdout, JSON.stringify(showJson(fields, addresses, mail, savedAs), null, 2));
  else printMail(io, fields, addresses, mail, savedAs);
  return 0;
}

/** A field's addresses as RFC 5322 text, from the engine's address-list parser. */
type Addresses = (field: string) => string;

function headerValue(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((entry) => entry.key === name)?.line;
  return line === undefined
    ? ''
    : line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
}

/** The subject as the engine decodes it (the one header decoder the web app and the CLI share). */
function subjectOf(fields: ReadonlyMap<string, string[]>): string {
  return fields.get('subject')?.[0] ?? '';
}

/** The text to show: the text part, or the HTML converted to text by mailparser. */
function bodyText(mail: ParsedMail): string {
  return mail.text ?? '';
}

/** The paths the attachments were saved as, in order (with --save-attachments). */
type SavedAs = readonly string[] | undefined;

function showJson(
  fields: ReadonlyMap<string, string[]>,
  addresses: Addresses,
  mail: ParsedMail,
  savedAs: SavedAs,
) {
  const headers: Record<string, string | string[]> = {};
  for (const [key, values] of fields) {
    headers[key] = values.length === 1 ? values[0]! : values;
  }
  return {
    headers,
    from: addresses('from'),
    to: addresses('to'),
    cc: addresses('cc'),
    subject: subjectOf(fields),
    date: mail.date?.toISOString() ?? null,
    text: bodyText(mail),
    html: mail.html === false ? null : mail.html,
    attachments: mail.attachments.map((attachment, index) => ({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      size: attachment.size,
      ...(savedAs ? { savedAs: savedAs[index] } : {}),
    })),
  };
}

function printMail(
  io: Io,
  headers: ReadonlyMap<string, string[]>,
  addresses: Addresses,
  mail: ParsedMail,
  savedAs: SavedAs,
): void {
  const out = io.stdout;
  const fields: Array<[string, string]> = [
    ['From', addresses('from')],
    ['To', addresses('to')],
    ['Cc', addresses('cc')],
    ['Date', headerValue(mail, 'date')],
    ['Subject', subjectOf(headers)],
  ];
  for (const [name, value] of fields) {
    if (value || name !== 'Cc') println(out, `${`${name}:`.padEnd(9)}${printable(value)}`);
  }
  println(out);
  const text = printableText(bodyText(mail)).replace(/\n+$/, '');
  println(out, text || '(no text)');
  if (mail.attachments.length > 0) {
    println(out);
    println(out, `Attachments (${mail.attachments.length}):`);
    mail.attachments.forEach((attachment, index) => {
      const name = printable(attachment.filename ?? '(no name)');
      const saved = savedAs ? `  saved as ${printable(savedAs[index]!)}` : '';
      println(
        out,
        `  ${index + 1}. ${name}  ${attachment.contentType}  ${formatBytes(attachment.size)}${saved}`,
      );
    });
  }
}
