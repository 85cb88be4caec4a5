/** What the bridge reports about an encrypted upstream link (the `tls` field of `connected` and `tls`). */
export interface TlsSummary {
  readonly protocol: string | null;
  readonly cipher: string | null;
  /** The certificate was verified (against CAs or a pinned fingerprint). */
  readonly authorized: boolean;
  /** `CN=…, O=…` */
  readonly subject: string | null;
  readonly issuer: string | null;
  /** `Jun  1 12:00:00 2026 GMT` */
  readonly validTo: string | null;
  /** `AB:CD:…` */
  readonly fingerprint256: string | null;
}

/** The parts of a Node `tls.TLSSocket` a summary reads (structural, so this package needs no Node types). */
export interface TlsSocketLike {
  getProtocol(): string | null;
  getCipher(): { readonly name: string } | null | undefined;
  getPeerCertificate(): PeerCertificateLike | null | undefined;
}

export interface PeerCertificateLike {
  /** Node's `tls.Certificate`: `{ CN: 'x', O: 'y' }`, a field given twice as an array. */
  readonly subject?: object;
  readonly issuer?: object;
  readonly valid_from?: string;
  readonly valid_to?: string;
  readonly fingerprint256?: string;
}

/** The summary of a verified TLS link, with `valid_from` for the engine's direct links (not on the wire). */
export function summarizeTls(
  socket: TlsSocketLike,
  authorized: boolean,
): TlsSummary & { readonly validFrom: string | null } {
  const certificate = socket.getPeerCertificate();
  // Node returns {} when the peer sent no certificate.
  const present = certificate != null && Object.keys(certificate).length > 0 ? certificate : undefined;
  return {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name ?? null,
    authorized,
    subject: formatName(present?.subject),
    issuer: formatName(present?.issuer),
    validFrom: present?.valid_from ?? null,
    validTo: present?.valid_to ?? null,
    fingerprint256: present?.fingerprint256 ?? null,
  };
}

/** Only the wire's fields, in the documented order: what `connected` and `tls` frames carry. */
export function wireTlsSummary(summary: TlsSummary): TlsSummary {
  const { protocol, cipher, authorized, subject, issuer, validTo, fingerprint256 } = summary;
  return { protocol, cipher, authorized, subject, issuer, validTo, fingerprint256 };
}

function formatName(name: object | undefined): string | null {
  if (!name) return null;
  return Object.entries(name as Record<string, unknown>)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** Reads a `tls` object off the wire; strings that are missing or not strings become null. */
export function parseTlsSummary(value: unknown): TlsSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tls = value as Record<string, unknown>;
  const text = (key: keyof TlsSummary) => (typeof tls[key] === 'string' ? (tls[key] as string) : null);
  return {
    protocol: text('protocol'),
    cipher: text('cipher'),
    authorized: tls.authorized === true,
    subject: text('subject'),
    issuer: text('issuer'),
    validTo: text('validTo'),
    fingerprint256: text('fingerprint256'),
  };
}
