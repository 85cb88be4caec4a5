import { readFile } from 'node:fs/promises';
import { defaultSubmissionPort, type Security } from '@webpop/smtp';
import { connectSmtp } from '@webpop/smtp/node';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { MailboxConfigError } from './errors.js';

/** Where `mailbox.send` submits mail: an SMTP submission server (RFC 6409). */
export interface SmtpOptions {
  /** Default: the mailbox's `host`. */
  host?: string;
  /** Default: 587 for `starttls`, 465 for `tls`, 25 for `none`. */
  port?: number;
  /** Default `starttls`. */
  security?: Security;
  /** Log in as this user (with `password`); default: the mailbox's username and password. */
  username?: string;
  password?: string;
  /** `false`: send without AUTH (a local sink or catcher). */
  auth?: boolean;
  /** Extra trusted CA certificates (PEM); default: the mailbox's `ca`/`caFile`. */
  ca?: string | Buffer | Array<string | Buffer>;
  caFile?: string;
  servername?: string;
  /** Allow a login that shows the password on an unencrypted link (a local test server only). */
  allowPlaintext?: boolean;
}

export interface OutgoingAttachment {
  readonly filename: string;
  readonly content: string | Uint8Array;
  /** Default: from the file name's extension. */
  readonly contentType?: string;
}

export interface SendMessageOptions {
  readonly to: string | readonly string[];
  readonly cc?: string | readonly string[];
  readonly bcc?: string | readonly string[];
  /** Default: the mailbox's `address` (else its username). */
  readonly from?: string;
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly attachments?: readonly OutgoingAttachment[];
  /** More header fields (`{ 'X-Campaign': 'spring' }`). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SentMessage {
  /** The Message-ID header, with its angle brackets. */
  readonly messageId: string;
  /** The envelope recipients the server accepted. */
  readonly accepted: readonly string[];
  /** The message exactly as submitted. */
  readonly raw: Uint8Array;
}

/** What send needs of the mailbox's own settings, for the defaults. */
export interface SendDefaults {
  readonly host: string;
  readonly username: string;
  readonly password: string | undefined;
  readonly address: string | undefined;
  readonly ca: Array<string | Buffer> | undefined;
  readonly servername: string | undefined;
  readonly allowPlaintext: boolean;
  readonly commandTimeout: number;
}

/** Composes the message (MIME by nodemailer's MailComposer) and submits it over SMTP with @webpop/smtp. */
export async function sendMessage(
  message: SendMessageOptions,
  smtp: SmtpOptions,
  defaults: SendDefaults,
): Promise<SentMessage> {
  const from = message.from ?? defaults.address ?? defaults.username;
  const raw = await compose(message, from);
  const security = smtp.security ?? 'starttls';
  const port = smtp.port ?? (security === 'none' ? 25 : defaultSubmissionPort(security));
  const ca = [...asList(smtp.ca ?? []), ...(smtp.caFile ? [await readCa(smtp.caFile)] : [])];
  const username = smtp.username ?? defaults.username;
  const password = smtp.password ?? (smtp.username === undefined ? defaults.password : undefined);
  const client = await connectSmtp({
    host: smtp.host ?? defaults.host,
    port,
    security,
    ca: ca.length > 0 ? ca : defaults.ca,
    servername: smtp.servername ?? defaults.servername,
    connectTimeoutMs: defaults.commandTimeout,
    ...(smtp.auth === false
      ? {}
      : {
          credentials: {
            username,
            password,
            allowPlaintext: smtp.allowPlaintext ?? defaults.allowPlaintext,
          },
        }),
  });
  const recipients = [message.to, message.cc ?? [], message.bcc ?? []].flatMap(asList).map(bareAddress);
  try {
    const result = await client.send({ from: bareAddress(from), to: recipients }, raw);
    await client.quit();
    return {
      messageId: /^Message-ID: *(<[^>]*>)/im.exec(headerBlock(raw))?.[1] ?? '',
      accepted: result.accepted,
      raw,
    };
  } catch (error) {
    client.close();
    throw error;
  }
}

async function compose(message: SendMessageOptions, from: string): Promise<Uint8Array> {
  const composer = new MailComposer({
    from,
    to: asList(message.to).join(', '),
    cc: message.cc === undefined ? undefined : asList(message.cc).join(', '),
    // Bcc stays off the message: it is only in the envelope.
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { ...message.headers },
    attachments: message.attachments?.map((attachment) => ({
      filename: attachment.filename,
      content: typeof attachment.content === 'string' ? attachment.content : Buffer.from(attachment.content),
      contentType: attachment.contentType,
    })),
  });
  const built: Buffer = await new Promise((resolve, reject) =>
    composer.compile().build((error, bytes) => (error ? reject(error) : resolve(bytes))),
  );
  return new Uint8Array(built.buffer, built.byteOffset, built.byteLength);
}

function asList<T>(value: T | readonly T[]): T[] {
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** `Name <a@x>` → `a@x`, for the envelope. */
function bareAddress(value: string): string {
  return /<([^>]*)>\s*$/.exec(value)?.[1] ?? value.trim();
}

function headerBlock(raw: Uint8Array): string {
  const text = new TextDecoder().decode(raw.subarray(0, 16_384));
  return text.split(/\r?\n\r?\n/, 1)[0] ?? '';
}

async function readCa(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new MailboxConfigError(
      `mailbox.send: cannot read the CA file ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
