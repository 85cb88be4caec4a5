import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { ConnectionArgs } from '../args.js';
import { withMailbox } from '../connect.js';
import { formatBytes, printable, printableText } from '../format.js';
import { decodeHeaderFields } from '@webpop/pop3';
import { println, type Io } from '../io.js';

export interface ShowOptions {
  readonly number: number;
  readonly raw: boolean;
}

/** RETR N, then the message parsed: headers, text, attachments (or the exact bytes with --raw). */
export async function showCommand(io: Io, args: ConnectionArgs, options: ShowOptions): Promise<number> {
  const bytes = await withMailbox(io, args, (client) => client.retr(options.number, { signal: io.signal }));

  if (options.raw) {
    io.stdout.write(bytes);
    return 0;
  }
  const mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const fields = decodeHeaderFields(bytes);
  if (args.json) println(io.stdout, JSON.stringify(showJson(fields, mail), null, 2));
  else printMail(io, fields, mail);
  return 0;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((entry) => entry.text).join(', ');
}

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

function showJson(fields: ReadonlyMap<string, string[]>, mail: ParsedMail) {
  const headers: Record<string, string | string[]> = {};
  for (const [key, values] of fields) {
    headers[key] = values.length === 1 ? values[0]! : values;
  }
  return {
    headers,
    from: addresses(mail.from),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
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

function printMail(io: Io, headers: ReadonlyMap<string, string[]>, mail: ParsedMail): void {
  const out = io.stdout;
  const fields: Array<[string, string]> = [
    ['From', addresses(mail.from)],
    ['To', addresses(mail.to)],
    ['Cc', addresses(mail.cc)],
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
