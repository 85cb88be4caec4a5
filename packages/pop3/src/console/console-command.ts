import type { Capabilities } from '../capabilities.js';
import type { SessionState } from '../client-types.js';
import { limits } from '../limits.js';
import type { ReplyKind } from '../protocol/reply-reader.js';

/** What a console needs to know about the session to judge a typed command. */
export interface ConsoleContext {
  readonly state: SessionState;
  /** The link to the server is encrypted. */
  readonly encrypted: boolean;
}

/** A typed command, judged: nothing typed, refused (with why), or to be sent. */
export type ConsoleCommand =
  | { readonly kind: 'empty' }
  | { readonly kind: 'refused'; readonly verb: string; readonly why: string }
  | ConsoleSend;

export interface ConsoleSend {
  readonly kind: 'send';
  /** The command's name, upper-cased (`LIST`). */
  readonly verb: string;
  readonly args: readonly string[];
  /** The line as it goes to the server (verb upper-cased, single spaces), without CRLF. */
  readonly line: string;
  /**
   * How its reply is read: `multi` for the commands RFC 1939 and 2449 give a body (CAPA, LIST and
   * UIDL without an argument, TOP, RETR); `detect` for HELP and every command the console does not
   * know, whose reply shape differs between servers; `single` for the rest.
   */
  readonly reply: Exclude<ReplyKind, 'sasl'>;
}

/** RFC 1939's commands of the TRANSACTION state, which every server has. */
const transactionCommands = ['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'QUIT'] as const;
/** Commands that exist where the server's CAPA names them (RFC 2449). */
const capaCommands = ['TOP', 'UIDL'] as const;
const singleLine = new Set(['STAT', 'DELE', 'NOOP', 'RSET', 'QUIT', 'LAST', 'STLS']);

const refusals: Readonly<Record<string, string>> = {
  USER: 'USER starts a login, and this session is signed in already: the server would refuse it here, and signing in as someone else means signing out first.',
  PASS: 'PASS would put the password into the dialogue shown here; webpop signed in for you already (the log shows its PASS with the password hidden).',
  APOP: 'APOP is a login, and this session is signed in already; the digest it sends is made from the password, which does not belong in a console.',
  AUTH: 'AUTH is a login, and this session is signed in already; its exchange would carry the credentials through the console.',
};

/**
 * Judges one typed line. Refuses what would break the session or leak a secret: a login command
 * (the session is signed in, and a password typed here would be logged), STLS after login (RFC 2595
 * allows it only before), and anything that is not one command line.
 */
export function parseConsoleCommand(input: string, context: ConsoleContext): ConsoleCommand {
  const text = input.trim();
  if (text === '') return { kind: 'empty' };
  const [first = '', ...args] = text.split(/[ \t]+/);
  const verb = first.toUpperCase();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text.replace(/\t/g, ' '))) {
    return {
      kind: 'refused',
      verb,
      why: 'A command is one line: a line break or another control character in it would send a second command behind the console’s back.',
    };
  }
  const line = [verb, ...args].join(' ');
  if (new TextEncoder().encode(line).length + 2 > limits.maxCommandLineBytes) {
    return {
      kind: 'refused',
      verb,
      why: `A POP3 command line is at most ${limits.maxCommandLineBytes} octets with its CRLF (RFC 2449); this one is longer.`,
    };
  }
  const refusal = refusals[verb];
  if (refusal) return { kind: 'refused', verb, why: refusal };
  if (verb === 'STLS') {
    const why = context.encrypted
      ? 'STLS asks for TLS, and this link is encrypted already.'
      : 'STLS is allowed only before login (RFC 2595); after it the server refuses, and the session would have shown the password in clear already.';
    if (context.encrypted || context.state !== 'authorization') return { kind: 'refused', verb, why };
  }
  return { kind: 'send', verb, args, line, reply: replyShape(verb, args.length) };
}

function replyShape(verb: string, argCount: number): ConsoleSend['reply'] {
  switch (verb) {
    case 'CAPA':
    case 'TOP':
    case 'RETR':
      return 'multi';
    case 'LIST':
    case 'UIDL':
      return argCount === 0 ? 'multi' : 'single';
  }
  if (singleLine.has(verb)) return 'single';
  // HELP, XTND and anything else: some servers answer one line, some a body (detect, don't guess).
  return 'detect';
}

/**
 * The command names a console offers to complete: RFC 1939's transaction commands, CAPA, and the
 * optional commands the server's CAPA names (all of them when the server has no CAPA to ask).
 */
export function consoleCommandNames(capabilities: Capabilities | null | undefined): string[] {
  const optional = capaCommands.filter((name) => !capabilities || capabilities.has(name));
  return [...transactionCommands, ...optional, 'CAPA'].sort();
}

/**
 * Completes the command name being typed: the one name it starts, with a space when the command takes
 * arguments; else the longest prefix the candidates share. Arguments are left alone.
 */
export function completeConsoleCommand(
  input: string,
  names: readonly string[],
): { readonly text: string; readonly candidates: readonly string[] } {
  if (/\s/.test(input.trimStart())) return { text: input, candidates: [] };
  const typed = input.trimStart().toUpperCase();
  const candidates = names.filter((name) => name.startsWith(typed));
  if (candidates.length === 1) {
    const name = candidates[0]!;
    return { text: takesArguments(name) ? `${name} ` : name, candidates };
  }
  if (candidates.length === 0) return { text: input, candidates };
  let prefix = candidates[0]!;
  for (const name of candidates) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return { text: prefix.length > typed.length ? prefix : input, candidates };
}

function takesArguments(name: string): boolean {
  return ['LIST', 'RETR', 'DELE', 'TOP', 'UIDL'].includes(name);
}
