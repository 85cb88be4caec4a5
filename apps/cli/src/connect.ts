import { readFile } from 'node:fs/promises';
import { Pop3Client, type LogEntry } from '@webpop/pop3';
import { connectNodeTransport, connectPop3 } from '@webpop/pop3/node';
import type { ConnectionArgs } from './args.js';
import { unverifiedHandshake } from './certificate.js';
import type { Io } from './io.js';
import { limits } from './limits.js';
import { readSecret } from './password.js';

/** A problem on this machine rather than with the server (an unreadable --ca file, say). */
export class LocalError extends Error {
  override name = 'LocalError';
}

/** A plain connection (--security starttls or none) to a port that speaks TLS from the first byte. */
export class ImplicitTlsPort extends Error {
  override name = 'ImplicitTlsPort';
  constructor(args: ConnectionArgs) {
    super(
      `${args.host}:${args.port} sent no POP3 greeting in ${limits.greetingProbeMs / 1000} s and answered a TLS ` +
        `handshake: it speaks TLS from the first byte, as port 995 does, so use --security tls ` +
        `(--security ${args.security} starts plain)`,
    );
  }
}

/** Prints the dialogue as the engine logs it (secrets already redacted) to stderr. */
export function traceLogger(io: Io, args: ConnectionArgs): ((entry: LogEntry) => void) | undefined {
  if (!args.trace) return undefined;
  return (entry) => io.stderr.write(`${entry.direction === 'client' ? 'C:' : 'S:'} ${entry.text}\n`);
}

/** The --ca file's PEM, checked to hold a certificate (and no key). */
export async function loadCa(args: ConnectionArgs): Promise<string | undefined> {
  if (args.caFile === undefined) return undefined;
  let pem: string;
  try {
    pem = await readFile(args.caFile, 'utf8');
  } catch (error) {
    throw new LocalError(`cannot read the CA file ${args.caFile}: ${(error as Error).message}`);
  }
  // Node would take a file without a certificate silently and then fail every handshake as untrusted.
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem);
    throw new LocalError(
      `the CA file ${args.caFile} holds no certificate (no "-----BEGIN CERTIFICATE-----" block)` +
        (key ? '; it holds a private key: --ca wants the CA certificate, never a key' : ''),
    );
  }
  return pem;
}

type Logger = ((entry: LogEntry) => void) | undefined;

/** Where and how to connect, from the shared options (POP3's sessions and `send`'s SMTP one). */
export async function transportOptions(args: ConnectionArgs, io: Io, onLog: Logger = traceLogger(io, args)) {
  return {
    host: args.host,
    port: args.port,
    security: args.security,
    ca: await loadCa(args),
    fingerprint256: args.fingerprint,
    connectTimeoutMs: args.timeoutMs,
    timeoutMs: args.timeoutMs,
    onLog,
    signal: io.signal,
  };
}

type TransportOptions = Awaited<ReturnType<typeof transportOptions>>;

/**
 * Runs `open` (which connects and waits for the greeting); over a plain start, a greeting that has
 * not come after `limits.greetingProbeMs` makes a second connection try a TLS handshake, and when
 * that completes (before the greeting) the first is given up with ImplicitTlsPort, instead of
 * waiting the whole --timeout. Any other outcome changes nothing.
 */
async function detectingImplicitTls<T>(
  args: ConnectionArgs,
  options: TransportOptions,
  open: (options: TransportOptions) => Promise<T>,
): Promise<T> {
  if (args.security === 'tls') return open(options);
  const giveUp = new AbortController();
  let greeted = false;
  let speaksTls = false;
  const probe = setTimeout(() => {
    if (greeted) return;
    const bound = AbortSignal.any([
      giveUp.signal,
      AbortSignal.timeout(options.timeoutMs ?? limits.defaultTimeoutMs),
    ]);
    unverifiedHandshake(args.host, args.port, bound).then(
      (socket) => {
        socket.destroy();
        if (greeted) return;
        speaksTls = true;
        giveUp.abort();
      },
      () => {},
    );
  }, limits.greetingProbeMs);
  try {
    return await open({
      ...options,
      signal: options.signal ? AbortSignal.any([options.signal, giveUp.signal]) : giveUp.signal,
      onLog: (entry) => {
        if (entry.direction === 'server') greeted = true;
        options.onLog?.(entry);
      },
    });
  } catch (error) {
    if (speaksTls && !options.signal?.aborted) throw new ImplicitTlsPort(args);
    throw error;
  } finally {
    clearTimeout(probe);
    greeted = true;
    giveUp.abort();
  }
}

/**
 * Connects, encrypts as asked and logs in: a client in the transaction state. `onLog` receives the
 * dialogue (secrets redacted) instead of --trace's stderr (`webpop shell` prints it as its transcript).
 */
export async function openMailbox(
  io: Io,
  args: ConnectionArgs,
  onLog?: Logger,
  /** Where the password comes from (`fetch --watch` asks once at a prompt); by default, readSecret. */
  secret: () => Promise<string> = () => secretFor(io, args),
): Promise<Pop3Client> {
  const options = await transportOptions(args, io, onLog ?? traceLogger(io, args));
  const user = args.user ?? '';
  const token = presentsToken(args);
  const password = await secret();
  const client = await detectingImplicitTls(args, options, (tuned) =>
    connectPop3({
      ...tuned,
      credentials: {
        username: user,
        ...(token ? { accessToken: password } : { password }),
        method: args.auth,
        allowPlaintext: args.allowPlaintext,
      },
    }),
  );
  return closeOnInterrupt(client, io);
}

/** `--auth xoauth2` and `oauthbearer` present an OAuth access token instead of a password. */
function presentsToken(args: ConnectionArgs): boolean {
  return args.auth === 'xoauth2' || args.auth === 'oauthbearer';
}

/** The password (or token) for this account, from wherever readSecret finds it. */
export function secretFor(io: Io, args: ConnectionArgs): Promise<string> {
  const token = presentsToken(args);
  return readSecret(io, { user: args.user ?? '', host: args.host, token, command: args.passwordCommand });
}

/** Ctrl-C ends the link at once, without QUIT, so the server deletes nothing. */
function closeOnInterrupt(client: Pop3Client, io: Io): Pop3Client {
  const signal = io.signal;
  if (signal?.aborted) client.close();
  else signal?.addEventListener('abort', () => client.close(), { once: true });
  return client;
}

/** Connects and reads the greeting, without logging in (for `capa`). */
export async function openUnauthenticated(io: Io, args: ConnectionArgs): Promise<Pop3Client> {
  const options = await transportOptions(args, io);
  const client = await detectingImplicitTls(args, options, async (tuned) => {
    const transport = await connectNodeTransport(tuned);
    // Given up (Ctrl-C, or the port found to speak TLS) while waiting for the greeting: close.
    const onAbort = () => transport.close();
    tuned.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await Pop3Client.connect(transport, { timeoutMs: tuned.timeoutMs, onLog: tuned.onLog });
    } finally {
      tuned.signal?.removeEventListener('abort', onAbort);
    }
  });
  return closeOnInterrupt(client, io);
}

/**
 * Ends the session politely when it is still open: QUIT (which commits any DELE), and if that fails,
 * just closes. Returns the error of a failed QUIT.
 */
export async function endSession(client: Pop3Client): Promise<unknown> {
  if (client.state === 'ended') return undefined;
  try {
    await client.quit();
    return undefined;
  } catch (error) {
    client.close();
    return error;
  }
}

/**
 * A session around `work`: opens it (logged in, or for `capa` only greeted), runs `work`, then ends
 * it with QUIT; when `work` fails the link is closed at once instead, so the server deletes nothing.
 */
export async function withMailbox<T>(
  io: Io,
  args: ConnectionArgs,
  work: (client: Pop3Client) => Promise<T>,
  open: (io: Io, args: ConnectionArgs) => Promise<Pop3Client> = openMailbox,
): Promise<T> {
  const client = await open(io, args);
  let result: T;
  try {
    result = await work(client);
  } catch (error) {
    client.close();
    throw error;
  }
  await endSession(client);
  return result;
}
