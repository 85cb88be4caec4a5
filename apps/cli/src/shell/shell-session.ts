import type { ConsoleReply, Pop3Client } from '@webpop/pop3';
import type { Transcript } from './transcript.js';

/** What one typed line gave. */
export type ShellStep =
  | { readonly kind: 'empty' }
  | { readonly kind: 'refused'; readonly why: string }
  /** QUIT typed while messages are marked, in a terminal: asked to type it again. */
  | { readonly kind: 'confirm'; readonly marked: number }
  | { readonly kind: 'reply'; readonly reply: ConsoleReply };

/**
 * The signed-in session behind `webpop shell`: each line goes through the engine's console
 * (`client.consoleCommand`, which refuses logins and STLS with a sentence of why); the shell keeps
 * count of the DELE marks so that QUIT can ask first, and so that the end of input (Ctrl-D, the end
 * of a script) takes them back with RSET before its QUIT: only a QUIT typed commits deletions.
 */
export class ShellSession {
  private readonly marked = new Set<string>();
  private quitAsked = false;

  constructor(
    readonly client: Pop3Client,
    private readonly transcript: Transcript,
  ) {}

  get ended(): boolean {
    return this.client.state === 'ended';
  }

  async type(
    line: string,
    options: { readonly confirmQuit: boolean; readonly signal?: AbortSignal },
  ): Promise<ShellStep> {
    const quit = /^\s*quit\s*$/i.test(line);
    if (quit && options.confirmQuit && this.marked.size > 0 && !this.quitAsked) {
      this.quitAsked = true;
      this.transcript.note(
        `QUIT deletes the ${this.marked.size} message${this.marked.size === 1 ? '' : 's'} marked with DELE ` +
          `(${[...this.marked].join(', ')}). Type QUIT again to delete, RSET to unmark, or Ctrl-D to leave without deleting.`,
      );
      return { kind: 'confirm', marked: this.marked.size };
    }
    this.quitAsked = false;
    const outcome = await this.client.consoleCommand(line, { signal: options.signal });
    if (outcome.kind === 'empty') return outcome;
    if (outcome.kind === 'refused') {
      this.transcript.refused(outcome.verb, outcome.why);
      return { kind: 'refused', why: outcome.why };
    }
    this.track(outcome);
    this.transcript.reply(outcome);
    return { kind: 'reply', reply: outcome };
  }

  /**
   * Ends a session the user did not QUIT: RSET first when messages are marked (so nothing is
   * deleted), then QUIT, which also releases the server's lock on the mailbox at once.
   */
  async finish(): Promise<void> {
    if (this.ended) return;
    if (this.marked.size > 0) {
      this.transcript.note(
        'The end of input is not a QUIT: RSET takes back the deletion marks, so nothing is deleted.',
      );
      await this.type('RSET', { confirmQuit: false });
    }
    await this.client.consoleCommand('QUIT');
  }

  private track(reply: ConsoleReply): void {
    if (reply.status.indicator !== '+OK') return;
    const [verb, argument] = reply.line.split(' ');
    if (verb === 'DELE' && argument !== undefined) this.marked.add(argument);
    if (verb === 'RSET') this.marked.clear();
  }
}
