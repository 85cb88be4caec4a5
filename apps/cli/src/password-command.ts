import { spawn } from 'node:child_process';
import { LocalError } from './connect.js';

/** More than any password or token; a command printing more is not printing a password. */
const maxOutputBytes = 64 * 1024;

/**
 * Runs `--password-command` with /bin/sh (like mpop's passwordeval and getmail's password_command,
 * so that cron never holds a password) and returns what it printed on stdout, less one trailing
 * line break. Its output is never logged or shown, nor is the command itself (it may name a secret
 * store); a failure is said by exit status only. Its stderr goes to ours, so `pass` or `gpg` can
 * say what went wrong.
 */
export function runPasswordCommand(
  command: string,
  stderr: { write(chunk: Uint8Array): unknown },
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxOutputBytes) chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk));
    child.on('error', (error) =>
      reject(new LocalError(`the password command (--password-command) could not run: ${error.message}`)),
    );
    child.on('close', (code, killedBy) => {
      const fail = (why: string) =>
        reject(new LocalError(`the password command (--password-command) ${why}`));
      if (killedBy !== null) return fail(`was stopped by ${killedBy}`);
      if (code !== 0) return fail(`failed with exit status ${code}`);
      if (size > maxOutputBytes)
        return fail(`printed more than ${maxOutputBytes} bytes, which is no password`);
      const secret = Buffer.concat(chunks)
        .toString('utf8')
        .replace(/\r?\n$/, '');
      if (secret === '') return fail('printed nothing');
      resolve(secret);
    });
  });
}
