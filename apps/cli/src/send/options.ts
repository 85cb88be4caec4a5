import type { ParseArgsConfig } from 'node:util';
import type { AuthMethod as SmtpAuthMethod } from '@webpop/smtp';
import { mailboxesOf, parseAddressList, type MailAddress } from '@webpop/pop3/mail';
import { UsageError } from '../args.js';

/** What `webpop send` sends and to whom, beside the connection options every command shares. */
export interface SendArgs {
  /** An .eml to send as it is (`-`: stdin); undefined: the message is built from the options. */
  readonly file: string | undefined;
  /** Envelope sender and From; with a file, overrides its From for the envelope only. */
  readonly from: MailAddress | undefined;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  readonly subject: string | undefined;
  /** --body TEXT or --body-file FILE (`-`: stdin); neither: stdin when it is not a terminal. */
  readonly body: { readonly text: string } | { readonly file: string } | undefined;
  readonly attach: readonly string[];
  /** --send-to-accepted: when some recipients are refused, send to the rest (default: send to nobody). */
  readonly sendToAccepted: boolean;
  /** The SMTP mechanism (`auto`, `plain`, `login`, `cram-md5`, `xoauth2`, `oauthbearer`). */
  readonly auth: SmtpAuthMethod;
}

type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

export const sendOptions = {
  from: { type: 'string' },
  to: { type: 'string', multiple: true },
  cc: { type: 'string', multiple: true },
  bcc: { type: 'string', multiple: true },
  subject: { type: 'string' },
  body: { type: 'string' },
  'body-file': { type: 'string' },
  attach: { type: 'string', multiple: true },
  'send-to-accepted': { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const smtpAuthMethods: readonly SmtpAuthMethod[] = [
  'auto',
  'plain',
  'login',
  'cram-md5',
  'xoauth2',
  'oauthbearer',
];

/** The send options from parsed values and the positionals (at most one: the .eml file). */
export function parseSendArgs(values: Values, positionals: readonly string[]): SendArgs {
  const [file, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`, 'send');
  const auth = (typeof values.auth === 'string' ? values.auth : 'auto') as SmtpAuthMethod;
  if (!smtpAuthMethods.includes(auth)) {
    throw new UsageError(
      `--auth for send must be one of ${smtpAuthMethods.join(', ')} (SMTP AUTH; got '${auth}')`,
      'send',
    );
  }
  const body = stringOf(values.body);
  const bodyFile = stringOf(values['body-file']);
  if (body !== undefined && bodyFile !== undefined) {
    throw new UsageError('--body TEXT and --body-file FILE: give one', 'send');
  }
  const args: SendArgs = {
    file,
    from: fromValue(values.from),
    to: addressList(values.to, '--to'),
    cc: addressList(values.cc, '--cc'),
    bcc: addressList(values.bcc, '--bcc'),
    subject: stringOf(values.subject),
    body: body !== undefined ? { text: body } : bodyFile !== undefined ? { file: bodyFile } : undefined,
    attach: listOf(values.attach),
    sendToAccepted: values['send-to-accepted'] === true,
    auth,
  };
  if (file !== undefined) {
    const building = [
      ['--subject', args.subject !== undefined],
      ['--body', body !== undefined],
      ['--body-file', bodyFile !== undefined],
      ['--attach', args.attach.length > 0],
    ] as const;
    const given = building.find(([, present]) => present);
    if (given) {
      throw new UsageError(
        `${given[0]} builds a message, but ${file === '-' ? 'stdin' : file} is one already: give one or the other`,
        'send',
      );
    }
  } else {
    if (args.from === undefined) throw new UsageError('send needs --from ADDRESS (or an .eml file)', 'send');
    if (args.to.length + args.cc.length + args.bcc.length === 0) {
      throw new UsageError('send needs at least one --to, --cc or --bcc ADDRESS', 'send');
    }
  }
  return args;
}

function fromValue(value: Values[string]): MailAddress | undefined {
  const text = stringOf(value);
  if (text === undefined) return undefined;
  const [from, more] = addressList(text, '--from');
  if (more !== undefined) throw new UsageError(`--from takes one address (got '${text}')`, 'send');
  return from;
}

function stringOf(value: Values[string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function listOf(value: Values[string]): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

/**
 * Each --to/--cc/--bcc may be given again, and each may hold an RFC 5322 address list
 * (`"Doe, Jane" <jane@example.org>, bob@example.org`).
 */
function addressList(value: Values[string], option: string): MailAddress[] {
  return listOf(value).flatMap((item) => {
    const mailboxes = mailboxesOf(parseAddressList(item)).filter(({ address }) => address.includes('@'));
    if (mailboxes.length === 0) {
      throw new UsageError(`${option} '${item}' holds no address (name@domain)`, 'send');
    }
    return mailboxes;
  });
}
