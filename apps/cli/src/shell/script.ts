import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { LocalError } from '../connect.js';
import type { Io } from '../io.js';
import type { ShellSession } from './shell-session.js';

/** Why a script stopped early: the first -ERR or refused line, or a line after QUIT. */
export class ScriptStopped extends Error {
  override name = 'ScriptStopped';
}

/** Checks that the script can be read before connecting (`-` is stdin). */
export async function checkScript(path: string): Promise<void> {
  if (path === '-') return;
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new LocalError(`cannot read the script ${path}: ${(error as Error).message}`);
  }
}

/**
 * Runs the commands of a script, one a line (blank lines and `#` comments skipped), and stops at the
 * first `-ERR` or refused line with ScriptStopped (exit status 1). A script that ends without QUIT
 * deletes nothing (ShellSession.finish); a QUIT it types commits, and nothing may follow it.
 */
export async function runScript(io: Io, session: ShellSession, path: string): Promise<number> {
  const input = path === '-' ? io.stdin : createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let number = 0;
  let quitAt: number | undefined;
  try {
    for await (const line of lines) {
      number++;
      const text = line.trim();
      if (text === '' || text.startsWith('#')) continue;
      if (quitAt !== undefined) {
        throw new ScriptStopped(`line ${number}: the session ended at the QUIT on line ${quitAt}`);
      }
      const step = await session.type(text, { confirmQuit: false, signal: io.signal });
      if (step.kind === 'refused') throw new ScriptStopped(`line ${number}: not sent: ${step.why}`);
      if (step.kind !== 'reply') continue;
      const { status, line: sent } = step.reply;
      if (status.indicator !== '+OK') {
        throw new ScriptStopped(
          `line ${number}: ${sent} was answered -ERR${status.text ? ` ${JSON.stringify(status.text)}` : ''}`,
        );
      }
      if (session.ended) quitAt = number;
    }
  } finally {
    lines.close();
  }
  await session.finish();
  return 0;
}
