import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { onProcessExit } from '../dovecot/exit-cleanup.js';
import { findFreePorts } from '../dovecot/free-port.js';
import type { RunningDovecot } from '../dovecot/start-dovecot.js';
import { systemAccount } from '../dovecot/system-accounts.js';
import { waitForGreeting } from '../dovecot/wait-for-greeting.js';
import { createTestCertificates } from '../tls/test-certificates.js';
import { renderPostfixMain, renderPostfixMaster } from './postfix-config.js';

const run = promisify(execFile);

export const POSTFIX_MASTER = '/usr/lib/postfix/sbin/master';

export interface StartPostfixOptions {
  /** Started with `authListener: true`: its users log in, its maildirs receive the mail. */
  readonly dovecot: RunningDovecot;
  /** Mail for `<user>@<domain>` goes to that Dovecot user's maildir; default `example.test`. */
  readonly domain?: string;
  /** How long to wait for the first greeting; default 20 s. */
  readonly startTimeoutMs?: number;
  /** Keep the temp dir after stop() (for debugging). */
  readonly keepDir?: boolean;
  /** Lines appended to main.cf (e.g. `smtpd_discard_ehlo_keywords = pipelining`); later lines win. */
  readonly extraConfig?: string;
}

export interface RunningPostfix {
  readonly host: '127.0.0.1';
  /** Submission (RFC 6409): STARTTLS required, then AUTH checked by Dovecot. */
  readonly submissionPort: number;
  /** The throwaway CA of Postfix's certificate (CN/SAN localhost, SAN IP 127.0.0.1). */
  readonly caPem: string;
  readonly domain: string;
  /** `<user>@<domain>` of a Dovecot user. */
  address(username: string): string;
  /** The end of Postfix's log. */
  logTail(bytes?: number): Promise<string>;
  /** Stops the master (and its services), then removes the temp dir. */
  stop(): Promise<void>;
}

/** True when this machine can run startPostfix (Debian's `postfix`; the master needs root). */
export function postfixAvailable(): boolean {
  return existsSync(POSTFIX_MASTER) && process.getuid?.() === 0;
}

/**
 * Runs a private Postfix on a loopback high port beside a test Dovecot: submission with STARTTLS and
 * SASL checked by Dovecot's authentication service against the same users, delivering into Dovecot's
 * maildirs through virtual(8). Postfix's master must run as root (it binds, then drops to `postfix`);
 * the mail is written as the maildirs' owner.
 */
export async function startPostfix(options: StartPostfixOptions): Promise<RunningPostfix> {
  const { dovecot } = options;
  if (dovecot.authPort === undefined) throw new Error('start Dovecot with authListener: true');
  if (!postfixAvailable()) throw new Error(`Postfix needs ${POSTFIX_MASTER} and root`);
  const domain = options.domain ?? 'example.test';
  const dir = await mkdtemp(join(tmpdir(), 'webpop-postfix-'));
  let child: ChildProcess | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    unregister();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child?.kill('SIGKILL'))]);
    }
    if (!options.keepDir) await rm(dir, { recursive: true, force: true });
  };
  const unregister = onProcessExit(() => {
    child?.kill('SIGKILL');
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  });
  try {
    // Postfix's own users (postfix, and the maildirs' owner) must traverse it.
    await chmod(dir, 0o755);
    const postfix = await systemAccount('postfix');
    const mailUser = await systemAccount('mail');
    for (const sub of ['etc', 'queue', 'data', 'tls']) await mkdir(join(dir, sub), { mode: 0o755 });
    await chown(join(dir, 'data'), postfix.uid, postfix.gid);
    const certificates = await createTestCertificates({ dir: join(dir, 'tls') });
    const files = certificates.files;
    if (!files) throw new Error('certificate files missing');
    await chmod(files.key, 0o600);
    const mailboxMaps = join(dir, 'etc', 'mailboxes');
    await writeFile(
      mailboxMaps,
      dovecot.users.map((u) => `${u.username}@${domain} ${u.username}/\n`).join(''),
    );
    const [submissionPort = 0] = await findFreePorts(1);
    const etc = join(dir, 'etc');
    await writeFile(
      join(etc, 'main.cf'),
      renderPostfixMain({
        dir,
        submissionPort,
        certFile: files.cert,
        keyFile: files.key,
        authPort: dovecot.authPort,
        domain,
        mailboxBase: join(dovecot.dir, 'mail'),
        mailboxMaps,
        mailUser,
      }) + (options.extraConfig ? `${options.extraConfig.trimEnd()}\n` : ''),
    );
    await writeFile(join(etc, 'master.cf'), renderPostfixMaster(submissionPort));
    // Creates the queue's directories with their owners and modes; fails on a bad main.cf.
    await run('postfix', ['-c', etc, 'check']);
    let output = '';
    child = spawn(POSTFIX_MASTER, ['-c', etc, '-s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
    const logTail = async (bytes = 8192): Promise<string> =>
      (await readFile(join(dir, 'postfix.log'), 'utf8').catch(() => '')).slice(-bytes);
    try {
      await waitForGreeting({
        host: '127.0.0.1',
        port: submissionPort,
        timeoutMs: options.startTimeoutMs ?? 20_000,
        exited,
        prefix: '220 ',
      });
    } catch (error) {
      const log = await logTail();
      throw new Error(`Postfix did not start: ${(error as Error).message}\n${output}\n${log}`);
    }
    return {
      host: '127.0.0.1',
      submissionPort,
      caPem: certificates.caPem,
      domain,
      address: (username) => `${username}@${domain}`,
      logTail,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
