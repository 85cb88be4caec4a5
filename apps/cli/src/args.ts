import { parseArgs, type ParseArgsConfig } from 'node:util';
import { authMethods as engineAuthMethods, defaultPort, type AuthMethod, type Security } from '@webpop/pop3';
import { defaultSubmissionPort } from '@webpop/smtp';
import { accountValues, ConfigError, defaultConfigPath } from './config.js';
import { limits } from './limits.js';
import type { DeliveryFormat, FetchOptions } from './fetch/summary.js';
import { parseSendArgs, sendOptions, type SendArgs } from './send/options.js';

/** A mistake in how the command was called: reported with a hint to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose help to point at, if known. */
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

export const commandNames = ['capa', 'stat', 'list', 'fetch', 'show', 'shell', 'send'] as const;
export type CommandName = (typeof commandNames)[number];

export const securities: readonly Security[] = ['tls', 'starttls', 'none'];
export const authMethods: readonly AuthMethod[] = engineAuthMethods;

/** Where and how to connect, shared by every command. */
export interface ConnectionArgs {
  readonly host: string;
  readonly port: number;
  readonly security: Security;
  readonly user: string | undefined;
  readonly auth: AuthMethod;
  readonly caFile: string | undefined;
  /** --fingerprint: the server certificate's SHA-256, upper-case hex pairs with colons (as capa prints it). */
  readonly fingerprint: string | undefined;
  readonly allowPlaintext: boolean;
  readonly timeoutMs: number | undefined;
  readonly trace: boolean;
  /** --password-command: a shell command that prints the password. */
  readonly passwordCommand: string | undefined;
  readonly json: boolean;
}

export type ParsedCommand =
  | { readonly command: 'capa' | 'stat' | 'list'; readonly connection: ConnectionArgs }
  | {
      readonly command: 'fetch';
      readonly connection: ConnectionArgs;
      readonly options: FetchOptions;
      /** --watch MINUTES: run again and again, this long apart, until SIGTERM. */
      readonly watchMinutes: number | undefined;
    }
  | {
      readonly command: 'show';
      readonly connection: ConnectionArgs;
      /** The message: by its number (`show N`) or by its UIDL (`show --uid UIDL`). */
      readonly message: MessageRef;
      readonly raw: boolean;
      /** --save-attachments DIR: write each attachment's decoded bytes into DIR. */
      readonly saveAttachments: string | undefined;
    }
  | {
      readonly command: 'shell';
      readonly connection: ConnectionArgs;
      /** --script FILE (`-`: stdin): run its commands, stopping at the first -ERR. */
      readonly script: string | undefined;
    }
  | { readonly command: 'send'; readonly connection: ConnectionArgs; readonly send: SendArgs };

/** A message named on the command line: by number, or by UIDL (which stays the same across sessions). */
export type MessageRef = { readonly number: number } | { readonly uid: string };

/** What the command line asks for. */
export type Invocation =
  | { readonly kind: 'help'; readonly command?: CommandName }
  | { readonly kind: 'version' }
  | { readonly kind: 'command'; readonly parsed: ParsedCommand };

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

const connectionOptions = {
  host: { type: 'string' },
  port: { type: 'string' },
  security: { type: 'string' },
  user: { type: 'string' },
  auth: { type: 'string' },
  ca: { type: 'string' },
  fingerprint: { type: 'string' },
  'allow-plaintext': { type: 'boolean' },
  timeout: { type: 'string' },
  trace: { type: 'boolean' },
  'password-command': { type: 'string' },
  account: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

const commandOptions = {
  capa: {},
  stat: {},
  list: {},
  fetch: {
    out: { type: 'string' },
    maildir: { type: 'string' },
    mbox: { type: 'string' },
    mda: { type: 'string' },
    delete: { type: 'boolean' },
    'keep-days': { type: 'string' },
    watch: { type: 'string' },
    'add-headers': { type: 'boolean' },
    state: { type: 'string' },
  },
  show: { raw: { type: 'boolean' }, uid: { type: 'string' }, 'save-attachments': { type: 'string' } },
  shell: { script: { type: 'string' } },
  send: sendOptions,
} as const satisfies Record<CommandName, Options>;

/** fetch's destinations: the option and the delivery it asks for (exactly one is given). */
const deliveryOptions: ReadonlyArray<readonly [string, DeliveryFormat]> = [
  ['out', 'eml'],
  ['maildir', 'maildir'],
  ['mbox', 'mbox'],
  ['mda', 'mda'],
];

const deliveryArgument: Readonly<Record<string, string>> = {
  out: 'DIR',
  maildir: 'DIR',
  mbox: 'FILE',
  mda: 'CMD',
};

/** Options that would put a secret on the command line, where `ps` and shell history show it. */
const secretOptions = /^--?(password|pass|passwd|pw|token|access-token|secret)(=|$)/i;

export function isCommandName(value: string | undefined): value is CommandName {
  return (commandNames as readonly string[]).includes(value ?? '');
}

/**
 * What `argv` asks for. `env` locates the config file for --account (XDG_CONFIG_HOME, HOME); an
 * account's keys fill in the options the command line leaves out.
 */
export function parseInvocation(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Invocation {
  refuseSecrets(argv);
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version' || first === '-V') return { kind: 'version' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { kind: 'help' };
    if (!isCommandName(topic)) throw new UsageError(`unknown command '${topic}'`);
    return { kind: 'help', command: topic };
  }
  if (!isCommandName(first)) {
    throw new UsageError(
      first.startsWith('-')
        ? `a command must come first, before '${optionName(first)}'`
        : `unknown command '${first}'`,
    );
  }
  const command = first;
  let values: Values;
  let positionals: string[];
  try {
    const options: Options = { ...connectionOptions, ...commandOptions[command] };
    const result = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
    values = result.values;
    positionals = result.positionals;
  } catch (error) {
    throw new UsageError(describeParseError(error), command);
  }
  if (values.help) return { kind: 'help', command };
  values = withAccount(values, command, env);

  const connection = connectionArgs(values, command);
  const extra = command === 'show' || command === 'send' ? positionals.slice(1) : positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`, command);

  switch (command) {
    case 'fetch': {
      const given = deliveryOptions.filter(([option]) => stringValue(values, option));
      if (given.length > 1) {
        const named = given.map(([option]) => `--${option} ${deliveryArgument[option]}`).join(' or ');
        throw new UsageError(
          `fetch takes ${named}, ${given.length === 2 ? 'not both' : 'only one of them'}`,
          command,
        );
      }
      const [option, format] = given[0] ?? [];
      if (option === undefined || format === undefined) {
        throw new UsageError(
          'fetch needs --out DIR, the folder to save messages in (or --maildir DIR, --mbox FILE, --mda CMD)',
          command,
        );
      }
      const out = stringValue(values, option)!;
      const state = stringValue(values, 'state');
      const keepDays = keepDaysValue(values);
      const options: FetchOptions = {
        out,
        format,
        delete: values.delete === true,
        ...(values['add-headers'] === true ? { addHeaders: true } : {}),
        ...(keepDays === undefined ? {} : { keepDays }),
        ...(state === undefined ? {} : { state }),
      };
      const watch = stringValue(values, 'watch');
      return {
        kind: 'command',
        parsed: {
          command,
          connection,
          options,
          watchMinutes: watch === undefined ? undefined : watchMinutes(watch),
        },
      };
    }
    case 'show': {
      const saveAttachments = stringValue(values, 'save-attachments');
      if (saveAttachments !== undefined && values.raw === true) {
        throw new UsageError(
          '--raw prints the message as it is; --save-attachments DIR needs it parsed: take one',
          command,
        );
      }
      return {
        kind: 'command',
        parsed: {
          command,
          connection,
          message: messageRef(positionals[0], stringValue(values, 'uid')),
          raw: values.raw === true,
          saveAttachments,
        },
      };
    }
    case 'shell':
      return {
        kind: 'command',
        parsed: { command, connection, script: stringValue(values, 'script') },
      };
    case 'send':
      return { kind: 'command', parsed: { command, connection, send: parseSendArgs(values, positionals) } };
    default:
      return { kind: 'command', parsed: { command, connection } };
  }
}

function connectionArgs(values: Values, command: CommandName): ConnectionArgs {
  const given = stringValue(values, 'host');
  if (!given)
    throw new UsageError(
      command === 'send'
        ? '--host is required (the submission server, e.g. --host smtp.example.org)'
        : '--host is required (the POP3 server, e.g. --host pop.example.org)',
      command,
    );
  const { host, port: portInHost } = splitHost(given, command);

  const security = (stringValue(values, 'security') ?? 'tls') as Security;
  if (!securities.includes(security)) {
    throw new UsageError(`--security must be one of ${securities.join(', ')} (got '${security}')`, command);
  }
  const auth = (stringValue(values, 'auth') ?? 'auto') as AuthMethod;
  if (!authMethods.includes(auth)) {
    throw new UsageError(`--auth must be one of ${authMethods.join(', ')} (got '${auth}')`, command);
  }

  const portOption = stringValue(values, 'port');
  if (portInHost !== undefined && portOption !== undefined && portOption !== portInHost) {
    throw new UsageError(
      `--host ${given} names port ${portInHost}, --port says ${portOption}: give one`,
      command,
    );
  }
  const portText = portOption ?? portInHost;
  const port =
    portText === undefined
      ? (command === 'send' ? defaultSubmissionPort : defaultPort)(security)
      : Number(portText);
  if (!/^\d+$/.test(portText ?? '0') || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`--port must be a number from 1 to 65535 (got '${portText}')`, command);
  }

  const timeoutText = stringValue(values, 'timeout');
  const timeoutSeconds = timeoutText === undefined ? undefined : Number(timeoutText);
  if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw new UsageError(`--timeout must be a positive number of seconds (got '${timeoutText}')`, command);
  }

  const user = stringValue(values, 'user');
  // send without --user submits without AUTH (a server that takes mail from this host).
  if (command !== 'capa' && command !== 'send' && !user) {
    throw new UsageError('--user is required (the mailbox login name)', command);
  }

  return {
    host,
    port,
    security,
    user,
    auth,
    caFile: stringValue(values, 'ca'),
    fingerprint: fingerprintValue(values, command),
    allowPlaintext: values['allow-plaintext'] === true,
    timeoutMs: timeoutSeconds === undefined ? undefined : Math.round(timeoutSeconds * 1000),
    trace: values.trace === true,
    passwordCommand: stringValue(values, 'password-command'),
    json: values.json === true,
  };
}

/** The values with those of --account NAME (from the config file) where the command line has none. */
function withAccount(
  values: Values,
  command: CommandName,
  env: Readonly<Record<string, string | undefined>>,
): Values {
  const name = stringValue(values, 'account');
  if (name === undefined) {
    if (values.config !== undefined)
      throw new UsageError('--config FILE is read only with --account NAME', command);
    return values;
  }
  const path = stringValue(values, 'config') ?? defaultConfigPath(env);
  if (path === undefined) {
    throw new UsageError(
      '--account: neither XDG_CONFIG_HOME nor HOME is set, so pass --config FILE',
      command,
    );
  }
  const own: Options = { ...connectionOptions, ...commandOptions[command] };
  const others = new Set(commandNames.flatMap((other) => Object.keys(commandOptions[other])));
  try {
    const fromFile = accountValues(name, path, env, (key) => {
      if (key === 'help' || key === 'account' || key === 'config') return undefined;
      const option = own[key];
      if (option) return { kind: 'this', type: option.type };
      return others.has(key) ? { kind: 'other' } : undefined;
    });
    return {
      ...fromFile,
      ...Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)),
    };
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, command);
    throw error;
  }
}

function stringValue(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `--host HOST`, `HOST:PORT` or `[IPv6]:PORT` (an IPv6 address alone stays whole); a URL is refused
 * with what to write instead.
 */
function splitHost(text: string, command: CommandName): { host: string; port?: string } {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)/i.exec(text);
  if (url) {
    throw new UsageError(
      `--host takes a host name, not a URL: write --host ${url[2]} (with --security tls or starttls for ${url[1]}://)`,
      command,
    );
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  const withPort = /^([^:]+):(\d+)$/.exec(text);
  if (withPort) return { host: withPort[1]!, port: withPort[2]! };
  if (/^[^:]+:/.test(text) && !/^[0-9a-f:.]+$/i.test(text)) {
    throw new UsageError(`--host ${text}: the part after ':' must be a port number (or use --port)`, command);
  }
  return { host: text };
}

/** --watch MINUTES: a positive number (fractions allowed) up to a week, or a usage error. */
function watchMinutes(text: string): number {
  const minutes = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(minutes > 0) || minutes > limits.watchMaxMinutes) {
    throw new UsageError(
      `--watch must be a number of minutes between runs, above 0 and at most ${limits.watchMaxMinutes} (a week; got '${text}')`,
      'fetch',
    );
  }
  return minutes;
}

/** --fingerprint: 64 hex digits (the colons between pairs optional), or a usage error. */
function fingerprintValue(values: Values, command: CommandName): string | undefined {
  const text = stringValue(values, 'fingerprint');
  if (text === undefined) return undefined;
  const hex = text.replace(/:/g, '');
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new UsageError(
      `--fingerprint must be a SHA-256 fingerprint: 64 hex digits, in pairs separated by colons or not ` +
        `(webpop capa prints the server's; got '${text}')`,
      command,
    );
  }
  return hex.toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/** --keep-days N: a whole number of days from 1; not with --delete (which deletes at once). */
function keepDaysValue(values: Values): number | undefined {
  const text = stringValue(values, 'keep-days');
  if (text === undefined) return undefined;
  const days = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(days) || days < 1) {
    throw new UsageError(
      `--keep-days must be a whole number of days from 1 (got '${text}'; --delete deletes at once)`,
      'fetch',
    );
  }
  if (values.delete === true) {
    throw new UsageError(
      '--delete deletes what is saved at once, --keep-days N only N days after it was saved: take one',
      'fetch',
    );
  }
  return days;
}

/** `show N` or `show --uid UIDL`: exactly one of them. */
function messageRef(number: string | undefined, uid: string | undefined): MessageRef {
  if (number !== undefined && uid !== undefined) {
    throw new UsageError(
      `show takes a message number or --uid UIDL, not both (got '${number}' and --uid)`,
      'show',
    );
  }
  if (uid !== undefined) {
    if (uid === '') throw new UsageError('--uid needs the UIDL of a message (see webpop list)', 'show');
    return { uid };
  }
  if (number === undefined) {
    throw new UsageError(
      'show needs the number of a message or its UIDL, e.g. webpop show 1 or webpop show --uid 000000016b0ef164',
      'show',
    );
  }
  return { number: messageNumber(number) };
}

function messageNumber(text: string): number {
  const number = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`'${text}' is not a message number (1, 2, 3, …; see webpop list)`, 'show');
  }
  return number;
}

function refuseSecrets(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') break;
    const match = secretOptions.exec(arg);
    if (match) {
      throw new UsageError(
        `--${match[1]!.toLowerCase()} is not accepted: a password on the command line can be read by other users ` +
          '(ps, /proc) and stays in the shell history. Set the WEBPOP_PASSWORD environment variable instead, ' +
          'or leave it unset to be asked for it at the terminal',
      );
    }
  }
}

/** The option's name without any `=value`, so that a mistyped option never echoes a secret. */
function optionName(arg: string): string {
  return arg.split('=')[0]!;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']*)'/.exec(message);
  if (unknown) return `unknown option '${optionName(unknown[1]!)}'`;
  const missing = /^Option '([^' ]*)[^']*' argument missing/.exec(message);
  if (missing) return `option '${missing[1]}' needs a value`;
  // e.g. "Option '--json' does not take an argument"
  return message
    .replace(/^Option/, 'option')
    .replace(/\. To specify.*$/s, '')
    .split('\n')[0]!;
}
