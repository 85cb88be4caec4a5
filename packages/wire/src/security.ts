/** `none`: plain TCP; `tls`: TLS from the first byte (port 995); `starttls`: plain, then STLS. */
export type Security = 'none' | 'tls' | 'starttls';

export const securities: readonly Security[] = ['none', 'tls', 'starttls'];

export function isSecurity(value: unknown): value is Security {
  return (securities as readonly unknown[]).includes(value);
}
