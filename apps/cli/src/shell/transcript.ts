import type { ConsoleReply, LogEntry, Pop3Client } from '@webpop/pop3';
import { printable } from '../format.js';
import { println, type Io } from '../io.js';

/**
 * What `webpop shell` prints: the dialogue as the engine logs it (`C:`/`S:` lines, secrets already
 * redacted, a long body cut to its first lines) and the console's explanations as `# ` lines, all on
 * stdout; with --json, one JSON object per command on stdout and the notes on stderr instead.
 * Server text is made harmless for a terminal (`printable`).
 */
export class Transcript {
  constructor(
    private readonly io: Io,
    private readonly json: boolean,
  ) {}

  /** The engine's onLog. */
  readonly log = (entry: LogEntry): void => {
    if (this.json) return;
    println(this.io.stdout, `${entry.direction === 'client' ? 'C:' : 'S:'} ${printable(entry.text)}`);
  };

  /** A sentence of the shell's own or the console's: `# …` in the transcript, on stderr with --json. */
  note(text: string): void {
    println(this.json ? this.io.stderr : this.io.stdout, `# ${printable(text)}`);
  }

  /** A command's reply: its explanation (the dialogue itself came through `log`), or the JSON object. */
  reply(reply: ConsoleReply): void {
    if (!this.json) {
      for (const sentence of reply.explanation) this.note(sentence);
      return;
    }
    const { line, status, multiLine, bodyBytes, lines, cut, explanation } = reply;
    println(
      this.io.stdout,
      JSON.stringify({
        command: line,
        ok: status.indicator === '+OK',
        status: status.indicator,
        text: status.text,
        code: status.code ?? null,
        multiLine,
        bodyBytes,
        lines,
        cut,
        explanation,
      }),
    );
  }

  /** A line the console would not send; the line itself is never repeated (it may hold a password). */
  refused(verb: string, why: string): void {
    if (this.json) println(this.io.stdout, JSON.stringify({ refused: verb, why }));
    else this.note(`not sent: ${why}`);
  }

  /** After the login: how the session is protected, and what to type. */
  signedIn(client: Pop3Client, user: string): void {
    const tls = client.tls;
    const link = tls
      ? `over ${tls.protocol ?? 'TLS'}${tls.authorized ? ', certificate verified' : ''}`
      : 'without TLS (anyone on the network can read this session)';
    const method = client.loginMethod ? ` (${client.loginMethod.toUpperCase()})` : '';
    this.note(`Signed in as ${user}${method} ${link}.`);
  }
}
