import type { Pop3Features, SaslMechanism } from './types.js';

export type ResolvedFeatures = Required<Pop3Features>;

const DEFAULT_SASL: SaslMechanism[] = ['PLAIN', 'LOGIN', 'CRAM-MD5'];

export function resolveFeatures(features: Pop3Features = {}): ResolvedFeatures {
  return {
    capa: features.capa ?? true,
    pipelining: features.pipelining ?? true,
    top: features.top ?? true,
    uidl: features.uidl ?? true,
    user: features.user ?? true,
    apop: features.apop ?? true,
    sasl: features.sasl ?? DEFAULT_SASL,
    respCodes: features.respCodes ?? true,
    lockMailbox: features.lockMailbox ?? false,
  };
}
