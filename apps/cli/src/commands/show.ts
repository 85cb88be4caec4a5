import { simpleParser, type ParsedMail } from 'mailparser';
import type { ConnectionArgs } from '../args.js';
import { withMailbox } from '../connect.js';
import { formatBytes, printable, printableText } from '../format.js';
import { addressListOf, decodeHeaderFields, formatAddressList } from '@webpop/pop3';
import { println, type Io } from '../io.js';

export interface ShowOptions {
  readonly number: number;
  readonly raw: boolean;
}

/**
 * RETR N, then the message parsed: headers, text, attachments (or the exact bytes with --raw). The
 * subject and the addresses come from the engine's header decoder and address-list parser (the ones
 * the web app's list uses); the body and attachments from mailparser.
 */
export async function showCommand(io: Io, args: ConnectionArgs, options: ShowOptions): Promise<number> {
  const bytes = await withMailbox(io, args, (client) => client.retr(options.number, { signal: io.signal }));

  if (options.raw) {
    io.stdout.write(bytes);
    return 0;
  }
  const mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const fields = decodeHeaderFields(bytes);
  const addresses = (field: string) => formatAddressList(addressListOf(bytes, field));
  if (args.json) println(io.stdout, JSON.stringify(showJson(fields, addresses, mail), null, 2));
  else printMail(io, fields, addresses, mail);
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

function showJson(fields: ReadonlyMap<string, string[]>, addresses: Addresses, mail: ParsedMail) {
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
    attachments: mail.attachments.map((attachment) => ({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      size: attachment.size,
    })),
  };
}

function printMail(
  io: Io,
  headers: ReadonlyMap<string, string[]>,
  addresses: Addresses,
  mail: ParsedMail,
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
      println(out, `  ${index + 1}. ${name}  ${attachment.contentType}  ${formatBytes(attachment.size)}`);
    });
  }
}
