import { spawn } from 'node:child_process';
import type { Output } from '../io.js';
import { toLf } from './line-endings.js';

/** The MDA did not take the message: its exit status or signal, in words. */
export class MdaFailed extends Error {
  override name = 'MdaFailed';
}

/**
 * Hands one message to an MDA (`--mda 'dovecot-lda -d alice'`, run with /bin/sh) on its stdin,
 * with LF line ends as procmail and dovecot-lda expect. Delivered only when it exits with status 0;
 * any other status (75, EX_TEMPFAIL, included) or a signal is a failed delivery, and the message
 * stays on the server. The MDA's stderr passes through; its stdout goes to our stderr (never into
 * the summary on stdout).
 */
export function deliverToMda(
  command: string,
  bytes: Uint8Array,
  io: { readonly stderr: Output; readonly env: Readonly<Record<string, string | undefined>> },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...io.env } as NodeJS.ProcessEnv,
    });
    child.stdout.on('data', (chunk: Buffer) => io.stderr.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk));
    // An MDA that exits without reading all of its input: EPIPE here, its exit status decides.
    child.stdin.on('error', () => {});
    child.on('error', (error) =>
      reject(new MdaFailed(`the MDA (--mda) could not be started: ${error.message}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      reject(
        new MdaFailed(
          signal
            ? `the MDA (--mda) was killed by ${signal}`
            : `the MDA (--mda) exited with status ${code}${code === 75 ? ' (EX_TEMPFAIL: try again later)' : ''}`,
        ),
      );
    });
    child.stdin.end(toLf(bytes));
  });
}
