import type { ConnectionArgs } from '../args.js';
import { openMailbox } from '../connect.js';
import { printable } from '../format.js';
import { isTty, println, type Io } from '../io.js';
import { interactiveShell } from '../shell/interactive.js';
import { checkScript, runScript, ScriptStopped } from '../shell/script.js';
import { ShellSession } from '../shell/shell-session.js';
import { Transcript } from '../shell/transcript.js';

/**
 * An interactive POP3 session on the engine's console, or (--script FILE, `-` for stdin, and
 * whenever stdin is no terminal) the commands of a script, stopping at the first -ERR.
 */
export async function shellCommand(
  io: Io,
  args: ConnectionArgs,
  options: { readonly script: string | undefined },
): Promise<number> {
  const script = options.script ?? (isTty(io, 'stdin') ? undefined : '-');
  if (script !== undefined) await checkScript(script);
  const transcript = new Transcript(io, args.json);
  const client = await openMailbox(io, args, transcript.log);
  const session = new ShellSession(client, transcript);
  try {
    // The CAPA after login may still be answering: its lines come before the shell's first words.
    await client.settledCapabilities();
    transcript.signedIn(client, args.user ?? '');
    if (script === undefined) return await interactiveShell(io, session, transcript);
    return await runScript(io, session, script);
  } catch (error) {
    if (!(error instanceof ScriptStopped)) {
      client.close();
      throw error;
    }
    await session.finish().catch(() => client.close());
    println(io.stderr, `webpop: ${printable(error.message)}`);
    return 1;
  }
}
