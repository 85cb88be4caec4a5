import type { CommandSpec, Reply } from '../connection.js';
import { Pop3ServerError } from '../errors.js';
import { limits } from '../limits.js';
import { leadingLines } from '../protocol/leading-lines.js';
import type { StatusLine } from '../protocol/status-line.js';
import type { ConsoleCommand, ConsoleSend } from './console-command.js';
import { explainConsoleReply } from './explain.js';

/** The server's answer to a console command, `-ERR` included, and what it means in words. */
export interface ConsoleReply {
  readonly kind: 'reply';
  /** The line as it was sent. */
  readonly line: string;
  readonly status: StatusLine;
  /** A body followed the status line (for HELP and unknown commands: as the reader found). */
  readonly multiLine: boolean;
  /** The body's size in octets, all of it, though only its first lines are kept. */
  readonly bodyBytes: number;
  /** The body's first lines (a RETR's first `limits.consoleRetrLines`, else `limits.consoleBodyLines`). */
  readonly lines: readonly string[];
  /** The body has more than `lines`. */
  readonly cut: boolean;
  readonly explanation: readonly string[];
}

/** What typing a line gave: nothing, a refusal with its reason, or the server's reply. */
export type ConsoleOutcome = Exclude<ConsoleCommand, ConsoleSend> | ConsoleReply;

export interface ConsoleOptions {
  readonly signal?: AbortSignal;
}

/** What the console needs of a client: the command queue, and QUIT (which ends the session). */
export interface ConsoleChannel {
  send(spec: CommandSpec): Promise<Reply>;
  quit(): Promise<StatusLine>;
}

/**
 * Sends a judged command on the interactive lane (ahead of a listing's commands not yet sent,
 * behind those in flight, in typing order with other console commands) and reads its reply.
 */
export async function runConsoleCommand(
  channel: ConsoleChannel,
  command: ConsoleSend,
  options: ConsoleOptions = {},
): Promise<ConsoleReply> {
  const maxLines = command.verb === 'RETR' ? limits.consoleRetrLines : limits.consoleBodyLines;
  let reply: Reply;
  try {
    reply =
      command.verb === 'QUIT'
        ? { status: await channel.quit(), body: new Uint8Array(), bodyBytes: 0, multiLine: false }
        : await channel.send({
            line: command.line,
            name: command.line,
            kind: command.reply,
            urgent: true,
            logBody: true,
            logLines: maxLines,
            keepBytes: limits.consoleKeepBytes,
            signal: options.signal,
          });
  } catch (error) {
    if (!(error instanceof Pop3ServerError)) throw error;
    const status: StatusLine = { indicator: '-ERR', text: error.serverText, code: error.code };
    return replyOf(command, status, { lines: [], octets: 0 }, 0, false);
  }
  const shown = leadingLines(reply.body, maxLines);
  return replyOf(command, reply.status, shown, reply.bodyBytes, reply.multiLine);
}

function replyOf(
  command: ConsoleSend,
  status: StatusLine,
  shown: { lines: string[]; octets: number },
  bodyBytes: number,
  multiLine: boolean,
): ConsoleReply {
  return {
    kind: 'reply',
    line: command.line,
    status,
    multiLine,
    bodyBytes,
    lines: shown.lines,
    cut: shown.octets < bodyBytes,
    explanation: explainConsoleReply(command, status, bodyBytes),
  };
}
