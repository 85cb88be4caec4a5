import { isTty, type Io } from './io.js';
import { UsageError } from './args.js';
import { readNetrcPassword } from './netrc.js';
import { runPasswordCommand } from './password-command.js';

export const passwordVariable = 'WEBPOP_PASSWORD';

/** The user cancelled the password prompt (Ctrl-C or Ctrl-D). */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled';
  constructor() {
    super('cancelled at the password prompt');
  }
}

/**
 * The password (or access token): printed by --password-command, else from WEBPOP_PASSWORD, else
 * from .netrc (a `machine` entry for the host), else typed at the terminal with echo off. Never from the command line (args.ts refuses --password).
 */
export async function readSecret(
  io: Io,
  what: { user: string; host: string; token: boolean; command?: string | undefined },
): Promise<string> {
  if (what.command !== undefined) return runPasswordCommand(what.command, io.stderr, io.signal);
  const fromEnv = io.env[passwordVariable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const fromNetrc = await readNetrcPassword(io.env, what.host, what.user);
  if (fromNetrc !== undefined) return fromNetrc;
  const noun = what.token ? 'access token' : 'password';
  if (!isTty(io, 'stdin') || !io.stdin.setRawMode) {
    throw new UsageError(
      `no ${noun}: set the ${passwordVariable} environment variable, or run webpop in a terminal to be asked for it ` +
        '(or use --password-command, or a machine entry in ~/.netrc)',
    );
  }
  io.stderr.write(`${capitalise(noun)} for ${what.user} at ${what.host}: `);
  try {
    return await readHidden(io);
  } finally {
    io.stderr.write('\n');
  }
}

/** Reads one line in raw mode, so that nothing typed is echoed. Backspace works; Ctrl-C/Ctrl-D cancel. */
function readHidden(io: Io): Promise<string> {
  const stdin = io.stdin;
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || (char === '\u0004' && typed === '')) return finish(new PromptCancelled());
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ' || char === '\t') typed += char;
      }
    };
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
