import { createInterface } from 'node:readline';
import { consoleCommandNames, Pop3Error } from '@webpop/pop3';
import { isTty, type Io, type Output } from '../io.js';
import { completeLine, forgetRefused } from './completion.js';
import type { ShellSession } from './shell-session.js';
import type { Transcript } from './transcript.js';

/** Lines kept for up/down (as the web command line keeps). */
export const SHELL_HISTORY_LINES = 100;

const prompt = 'pop3> ';

/**
 * The prompt on a terminal: line editing, history on up/down (refused lines left out), Tab
 * completing command names from the server's CAPA. Ctrl-C clears the line, or stops the command
 * waiting for its reply; Ctrl-D ends the session without deleting (see ShellSession.finish).
 */
export async function interactiveShell(
  io: Io,
  session: ShellSession,
  transcript: Transcript,
): Promise<number> {
  const client = session.client;
  const output = isTty(io, 'stdout') ? writableOf(io.stdout) : undefined;
  const names = consoleCommandNames(client.capabilities);
  const rl = createInterface({
    input: io.stdin,
    output,
    terminal: output !== undefined,
    prompt,
    historySize: SHELL_HISTORY_LINES,
    removeHistoryDuplicates: true,
    completer: (line: string) => completeLine(line, names),
  });
  rl.on('history', (history: string[]) =>
    forgetRefused(history, { state: client.state, encrypted: client.tls !== null }),
  );
  let running: AbortController | undefined;
  rl.on('SIGINT', () => {
    if (running) return running.abort();
    rl.write(null, { ctrl: true, name: 'u' });
    transcript.note('Ctrl-D leaves without deleting; QUIT commits the deletions.');
    rl.prompt();
  });
  transcript.note(`Commands: ${names.join(' ')}. Tab completes, up/down recalls.`);
  try {
    rl.prompt();
    for await (const line of rl) {
      running = new AbortController();
      try {
        await session.type(line, { confirmQuit: true, signal: running.signal });
      } catch (error) {
        if (!(error instanceof Pop3Error && error.kind === 'aborted')) throw error;
        transcript.note('Interrupted: the reply is skipped when it comes; the session goes on.');
      } finally {
        running = undefined;
      }
      if (session.ended) return 0;
      rl.prompt();
    }
    await session.finish();
    return 0;
  } finally {
    rl.close();
  }
}

/** The stream behind an Output, when it is one (process.stdout): readline writes its prompt to it. */
function writableOf(out: Output): NodeJS.WritableStream | undefined {
  return 'on' in out && 'end' in out ? (out as NodeJS.WritableStream) : undefined;
}
