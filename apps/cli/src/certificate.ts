import net from 'node:net';
import tls from 'node:tls';
import { Pop3TlsError } from '@webpop/pop3';
import type { ConnectionArgs } from './args.js';
import { limits } from './limits.js';

/** What a user needs to decide about a certificate webpop refused, and to pin it with --fingerprint. */
export interface CertificateDetails {
  /** `CN=…, O=…` */
  readonly subject: string | null;
  readonly issuer: string | null;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  /** `AB:CD:…`, as --fingerprint takes it. */
  readonly fingerprint256: string | null;
  /** Issued by itself (subject and issuer alike): no CA vouches for it. */
  readonly selfSigned: boolean;
}

/**
 * A TLS failure about the server's certificate: not trusted, wrong name, expired. (One that is not
 * the pinned one is not: its error names the fingerprint already, and the pin was the user's decision.)
 */
export function isCertificateRefusal(error: unknown): error is Pop3TlsError {
  if (!(error instanceof Pop3TlsError)) return false;
  const code = String((error as { cause?: { code?: unknown } }).cause?.code ?? '');
  return !/PIN_MISMATCH/.test(code) && /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALTNAME|EXPIRED/i.test(code);
}

const peeked = new WeakMap<Pop3TlsError, Promise<CertificateDetails | undefined>>();

/**
 * The certificate the server presented when `error` refused it, read by a second handshake with
 * verification off that is closed as soon as it completes: nothing but the handshake (and, for
 * STLS, the greeting and `STLS`) crosses that link, no login, no command. Once per error (capa and
 * the error line share it); undefined when the server cannot be reached again.
 */
export function refusedCertificate(
  error: Pop3TlsError,
  args: ConnectionArgs,
  signal?: AbortSignal,
): Promise<CertificateDetails | undefined> {
  let details = peeked.get(error);
  if (!details) {
    details = peekCertificate(args, signal).catch(() => undefined);
    peeked.set(error, details);
  }
  return details;
}

/** Resolves with the socket's certificate, or rejects; `plain` (STLS) is upgraded in place. */
async function peekCertificate(args: ConnectionArgs, signal?: AbortSignal): Promise<CertificateDetails> {
  const timeoutMs = args.timeoutMs ?? limits.defaultTimeoutMs;
  const deadline = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  const plain = args.security === 'starttls' ? await stlsSocket(args, deadline) : undefined;
  try {
    const socket = await unverifiedHandshake(args.host, args.port, deadline, plain);
    try {
      return details(socket.getPeerCertificate());
    } finally {
      socket.destroy();
    }
  } finally {
    plain?.destroy();
  }
}

/**
 * A TLS handshake that accepts any certificate, to look at it (or to learn that the port speaks
 * TLS). The caller destroys the socket; nothing is ever written on it.
 */
export function unverifiedHandshake(
  host: string,
  port: number,
  signal: AbortSignal,
  socket?: net.Socket,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      ...(socket ? { socket } : { host, port }),
      servername: net.isIP(host) ? undefined : host,
      // Looking, not trusting: this link carries nothing and is closed at once.
      rejectUnauthorized: false,
    });
    const fail = (error: Error) => {
      signal.removeEventListener('abort', onAbort);
      secure.destroy();
      reject(error);
    };
    const onAbort = () => fail(new Error('gave up waiting for the TLS handshake'));
    secure.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      secure.off('error', fail);
      secure.on('error', () => {});
      resolve(secure);
    });
    secure.once('error', fail);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A plain link that has read the greeting, sent STLS and read its +OK: ready for the handshake. */
async function stlsSocket(args: ConnectionArgs, signal: AbortSignal): Promise<net.Socket> {
  const socket = net.connect({ host: args.host, port: args.port });
  const lines = new LineReader(socket, signal);
  try {
    if (!(await lines.next()).startsWith('+OK')) throw new Error('no +OK greeting');
    socket.write('STLS\r\n');
    if (!(await lines.next()).startsWith('+OK')) throw new Error('STLS refused');
    lines.stop();
    return socket;
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/** Reads CRLF (or LF) ended lines off a socket, at most `limits.peekLineBytes` each. */
export class LineReader {
  private buffered = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.wake?.();
  };
  private readonly onEnd = (error?: Error) => {
    this.failure ??= error ?? new Error('the connection closed');
    this.wake?.();
  };

  constructor(
    private readonly socket: net.Socket,
    private readonly signal: AbortSignal,
  ) {
    socket.on('data', this.onData);
    socket.on('error', this.onEnd);
    socket.on('close', () => this.onEnd());
    signal.addEventListener('abort', () => this.onEnd(new Error('timed out')), { once: true });
  }

  async next(): Promise<string> {
    for (;;) {
      const end = this.buffered.indexOf(0x0a);
      if (end >= 0) {
        const line = this.buffered.subarray(0, end).toString('latin1').replace(/\r$/, '');
        this.buffered = this.buffered.subarray(end + 1);
        return line;
      }
      if (this.buffered.length > limits.peekLineBytes) throw new Error('a line too long');
      if (this.failure || this.signal.aborted) throw this.failure ?? new Error('timed out');
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** Hands the socket over (to TLS): stops reading it. */
  stop(): void {
    this.socket.off('data', this.onData);
  }
}

function details(certificate: tls.PeerCertificate | undefined): CertificateDetails {
  // Node gives {} when the peer sent no certificate.
  const present = certificate && Object.keys(certificate).length > 0 ? certificate : undefined;
  const subject = distinguishedName(present?.subject);
  const issuer = distinguishedName(present?.issuer);
  return {
    subject,
    issuer,
    validFrom: present?.valid_from ?? null,
    validTo: present?.valid_to ?? null,
    fingerprint256: present?.fingerprint256 ?? null,
    selfSigned: subject !== null && subject === issuer,
  };
}

function distinguishedName(name: object | undefined): string | null {
  if (!name) return null;
  const parts = Object.entries(name as Record<string, unknown>).map(
    ([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`,
  );
  return parts.length > 0 ? parts.join(', ') : null;
}

/** One sentence for the error line: what the certificate is and how to pin it. */
export function certificateSentence(certificate: CertificateDetails): string {
  const parts = [
    certificate.subject && `subject ${certificate.subject}`,
    certificate.issuer && `issuer ${certificate.selfSigned ? 'itself (self-signed)' : certificate.issuer}`,
    certificate.validFrom &&
      certificate.validTo &&
      `valid ${certificate.validFrom} to ${certificate.validTo}`,
    certificate.fingerprint256 && `SHA-256 ${certificate.fingerprint256}`,
  ].filter(Boolean);
  return `; the server's certificate: ${parts.join(', ')}`;
}
