/** `none`: plain TCP; `tls`: TLS from the first byte (port 995); `starttls`: plain, then STLS. */
export type Security = 'none' | 'tls' | 'starttls';

export const securities: readonly Security[] = ['none', 'tls', 'starttls'];

/** The IANA ports: 995 for POP3 over TLS (RFC 8314), 110 for POP3, plain or upgraded with STLS. */
export function defaultPort(security: Security): number {
  return security === 'tls' ? 995 : 110;
}

/** RFC 8314 / RFC 6409: 465 for submission over TLS, 587 for submission plain or upgraded with STARTTLS. */
export function defaultSubmissionPort(security: Security): number {
  return security === 'tls' ? 465 : 587;
}

export function isSecurity(value: unknown): value is Security {
  return (securities as readonly unknown[]).includes(value);
}
