import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestCertificates } from '../tls/test-certificates.js';
import { renderDovecotConfig } from './dovecot-config.js';
import { onProcessExit } from './exit-cleanup.js';
import { writeOAuth2Passdb, type DovecotOAuth2Options } from './oauth2-passdb.js';
import { findFreePorts } from './free-port.js';
import { instanceProcesses, killQuietly } from './instance-processes.js';
import { createMaildir, deliverToMaildir, listMaildirMessages } from './maildir.js';
import { currentAccount, systemAccount } from './system-accounts.js';
import { waitForGreeting } from './wait-for-greeting.js';

export interface DovecotUser {
  username: string;
  password: string;
}

export interface StartDovecotOptions {
  /** Default: one user "alice" with a random password. */
  users?: DovecotUser[];
  /** Messages put into the users' maildirs (new/) before Dovecot starts. */
  messages?: Record<string, Uint8Array[]>;
  /** Path of the dovecot binary; default /usr/sbin/dovecot if present, else "dovecot" from PATH. */
  binary?: string;
  /** How long to wait for the first greeting; default 20 s. */
  startTimeoutMs?: number;
  /** Extra dovecot.conf lines, appended last (so they override the defaults). */
  extraConfig?: string;
  /**
   * Also listen on two ports that expect a PROXY protocol header (v1 or v2) from loopback first
   * (`haproxy = yes`, `haproxy_trusted_networks`): `pop3ProxyPort`, `pop3sProxyPort`.
   */
  proxyProtocol?: boolean;
  /**
   * Keep Dovecot's per-address authentication penalty: after a failed login from an address, its next
   * attempts wait 2 s, 4 s, … up to 15 s. Off by default, since tests fail logins on purpose.
   */
  authPenalty?: boolean;
  /**
   * Also open Dovecot's authentication service on a loopback port (`authPort`), so an MTA checks
   * submission logins against the same users (Postfix's `smtpd_sasl_type = dovecot`).
   */
  authListener?: boolean;
  /**
   * Also accept OAuth 2.0 bearer tokens (AUTH OAUTHBEARER and XOAUTH2) through Dovecot's `oauth2`
   * passdb, validating JWT access tokens locally with the provider's keys: `iss` among the issuers,
   * `exp` not passed, the signature, and the claim `usernameAttribute` (default `sub`) equal to the
   * login name. Passwords keep working for PLAIN, LOGIN, CRAM-MD5 and APOP.
   */
  oauth2?: DovecotOAuth2Options;
  /** Keep the temp dir after stop() (for debugging); default false. */
  keepDir?: boolean;
}

export interface RunningDovecot {
  host: '127.0.0.1';
  /** Plain POP3 (STLS available). */
  pop3Port: number;
  /** POP3 over implicit TLS. */
  pop3sPort: number;
  /** With `proxyProtocol`: plain POP3 (STLS available) behind a PROXY protocol header; else undefined. */
  pop3ProxyPort?: number;
  /** With `proxyProtocol`: implicit TLS after a PROXY protocol header; else undefined. */
  pop3sProxyPort?: number;
  /** With `authListener`: Dovecot's authentication service (the Dovecot SASL protocol); else undefined. */
  authPort?: number;
  /** The throwaway CA that signed the server certificate (CN/SAN localhost, SAN IP 127.0.0.1). */
  caPem: string;
  users: DovecotUser[];
  /** The instance's temp dir: config, logs, maildirs. */
  dir: string;
  /** Writes a message into the user's maildir new/ (via tmp/ and rename) and returns its path. */
  deliver(username: string, message: Uint8Array): Promise<string>;
  /** Paths of the messages in the user's cur/ and new/. */
  maildirFiles(username: string): Promise<string[]>;
  /** Stops Dovecot and all its processes, then removes the temp dir. */
  stop(): Promise<void>;
  /** Kills every process of the instance with SIGKILL (a crash), keeping the maildirs; then restart(). */
  kill(): Promise<void>;
  /**
   * Stops Dovecot (SIGTERM, or with `crash` SIGKILL to every process of it) and starts it again on the
   * same ports with the same maildirs; resolves once it greets again. Open sessions are cut.
   */
  restart(options?: { crash?: boolean }): Promise<void>;
  /** The end of Dovecot's log file. */
  logTail(bytes?: number): Promise<string>;
  /** Pids of the instance's processes (master and children); empty after stop(). */
  processes(): number[];
}

const USERNAME = /^[A-Za-z0-9._@+-]+$/;

/** Runs a private Dovecot POP3 server on loopback, configured from scratch in a fresh temp dir. */
export async function startDovecot(options: StartDovecotOptions = {}): Promise<RunningDovecot> {
  const users = options.users ?? [{ username: 'alice', password: randomBytes(12).toString('hex') }];
  for (const { username, password } of users) {
    if (!USERNAME.test(username)) throw new Error(`unsupported username ${JSON.stringify(username)}`);
    // The passwd-file format is colon separated, one user a line.
    if (/[:\r\n]/.test(password))
      throw new Error(`password of ${username} must not contain ':' or line breaks`);
  }
  const binary = options.binary ?? (existsSync('/usr/sbin/dovecot') ? '/usr/sbin/dovecot' : 'dovecot');
  const isRoot = process.getuid?.() === 0;

  const dir = await mkdtemp(join(tmpdir(), 'webpop-dovecot-'));
  let stopped = false;
  try {
    // mkdtemp makes 0700; Dovecot's unprivileged users (dovecot, dovenull, mail) must traverse it.
    await chmod(dir, 0o755);
    // Dovecot refuses to deliver mail as uid 0, so as root the mail belongs to Debian's "mail" user.
    const mailUser = isRoot ? await systemAccount('mail') : await currentAccount();
    const internalUser = isRoot ? await systemAccount('dovecot') : mailUser;

    await mkdir(join(dir, 'tls'), { mode: 0o700 });
    const certificates = await createTestCertificates({ dir: join(dir, 'tls') });
    const files = certificates.files;
    if (!files) throw new Error('certificate files missing');
    await chmod(files.key, 0o600);

    const passwdFile = join(dir, 'passwd');
    await writeFile(passwdFile, users.map((u) => `${u.username}:{PLAIN}${u.password}\n`).join(''), {
      mode: 0o600,
    });
    // The auth process reads it as the internal user.
    if (isRoot) await chown(passwdFile, internalUser.uid, internalUser.gid);

    await mkdir(join(dir, 'state'), { mode: 0o755 });
    await mkdir(join(dir, 'mail'), { mode: 0o755 });
    const maildirOf = (username: string): string => {
      if (!users.some((u) => u.username === username)) throw new Error(`no Dovecot user ${username}`);
      return join(dir, 'mail', username);
    };
    for (const { username } of users) await createMaildir(maildirOf(username), mailUser);
    for (const [username, messages] of Object.entries(options.messages ?? {})) {
      for (const message of messages) await deliverToMaildir(maildirOf(username), message, mailUser);
    }

    const instanceName = `webpop-${randomBytes(4).toString('hex')}`;
    const configFile = join(dir, 'dovecot.conf');
    const [pop3Port = 0, pop3sPort = 0, authPort = 0, pop3ProxyPort = 0, pop3sProxyPort = 0] =
      await findFreePorts(options.proxyProtocol ? 5 : 3);
    const proxyPorts = options.proxyProtocol ? { pop3: pop3ProxyPort, pop3s: pop3sProxyPort } : undefined;
    await writeFile(
      configFile,
      renderDovecotConfig({
        dir,
        instanceName,
        pop3Port,
        pop3sPort,
        certFile: files.cert,
        keyFile: files.key,
        passwdFile,
        mailUser,
        proxyPorts,
        ...(options.authListener ? { authPort } : {}),
        authPenalty: options.authPenalty,
        unprivileged: isRoot ? undefined : { user: mailUser.name, group: mailUser.group },
        ...(options.oauth2 ? { oauth2Config: await writeOAuth2Passdb(dir, options.oauth2) } : {}),
        extraConfig: options.extraConfig,
      }),
    );

    const logFile = join(dir, 'dovecot.log');
    let current: Launched = launch(binary, configFile);

    const killEverything = (): void => {
      if (current.child.pid !== undefined) killQuietly(current.child.pid, 'SIGKILL');
      for (const pid of instanceProcesses(instanceName, configFile)) killQuietly(pid, 'SIGKILL');
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
    };
    const unregister = onProcessExit(killEverything);

    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      await stopInstance(current.child, current.exited, instanceName, configFile);
      unregister();
      if (!options.keepDir) await rm(dir, { recursive: true, force: true });
    };

    const greeted = async (timeoutMs: number): Promise<void> => {
      try {
        await waitForGreeting({ host: '127.0.0.1', port: pop3Port, timeoutMs, exited: current.exited });
      } catch (error) {
        const log = await tail(logFile, 8192);
        await stop();
        throw new Error(
          `Dovecot did not start: ${(error as Error).message}\n--- output ---\n${current.output().trim()}\n--- ${logFile} ---\n${log.trim()}`,
        );
      }
    };
    await greeted(options.startTimeoutMs ?? 20_000);

    /** SIGKILL to every process of the instance at once (a crash), keeping its maildirs and config. */
    const kill = async (): Promise<void> => {
      if (stopped) throw new Error('Dovecot was stopped');
      const pids = [current.child.pid, ...instanceProcesses(instanceName, configFile)];
      for (const pid of pids) if (pid !== undefined) killQuietly(pid, 'SIGKILL');
      await current.exited;
      await stopInstance(current.child, current.exited, instanceName, configFile);
    };

    return {
      host: '127.0.0.1',
      pop3Port,
      pop3sPort,
      ...(options.authListener ? { authPort } : {}),
      ...(proxyPorts ? { pop3ProxyPort: proxyPorts.pop3, pop3sProxyPort: proxyPorts.pop3s } : {}),
      caPem: certificates.caPem,
      users,
      dir,
      deliver: (username, message) => deliverToMaildir(maildirOf(username), message, mailUser),
      maildirFiles: (username) => listMaildirMessages(maildirOf(username)),
      stop,
      kill,
      async restart({ crash = false } = {}) {
        if (crash) await kill();
        else await stopInstance(current.child, current.exited, instanceName, configFile);
        current = launch(binary, configFile);
        await greeted(options.startTimeoutMs ?? 20_000);
      },
      logTail: (bytes = 8192) => tail(logFile, bytes),
      processes: () => instanceProcesses(instanceName, configFile),
    };
  } catch (error) {
    if (!stopped && !options.keepDir) await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Launched {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  output(): string;
}

/** Starts `dovecot -c <config> -F` in the foreground, gathering what it prints. */
function launch(binary: string, configFile: string): Launched {
  const child = spawn(binary, ['-c', configFile, '-F'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      output += `${error.message}\n`;
      resolve();
    });
  });
  return { child, exited, output: () => output };
}

/** SIGTERM to the master (it shuts its children down), then make sure nothing of the instance is left. */
async function stopInstance(
  child: ChildProcess,
  exited: Promise<void>,
  instanceName: string,
  configFile: string,
): Promise<void> {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
    if (timedOut) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  for (let attempt = 0; ; attempt++) {
    const leftovers = instanceProcesses(instanceName, configFile);
    if (leftovers.length === 0) return;
    if (attempt >= 30) {
      for (const pid of leftovers) killQuietly(pid, 'SIGKILL');
      if (attempt >= 50) throw new Error(`Dovecot processes ${leftovers.join(', ')} would not die`);
    }
    await sleep(100);
  }
}

async function tail(file: string, bytes: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
