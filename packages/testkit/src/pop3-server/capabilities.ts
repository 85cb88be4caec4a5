import type { ResolvedFeatures } from './resolved-options.js';

const IMPLEMENTATION = 'webpop-testkit';

/** The CAPA list (RFC 2449), each entry only when its feature is on. */
export function capabilityLines(features: ResolvedFeatures, stlsAvailable: boolean): string[] {
  const lines: string[] = [];
  if (features.top) lines.push('TOP');
  if (features.uidl) lines.push('UIDL');
  if (features.user) lines.push('USER');
  if (features.pipelining) lines.push('PIPELINING');
  if (features.respCodes) lines.push('RESP-CODES', 'AUTH-RESP-CODE');
  if (features.sasl.length > 0) lines.push(`SASL ${features.sasl.join(' ')}`);
  if (stlsAvailable) lines.push('STLS');
  lines.push(`IMPLEMENTATION ${IMPLEMENTATION}`);
  return lines;
}
