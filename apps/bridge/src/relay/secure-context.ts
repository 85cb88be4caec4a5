import tls from 'node:tls';
import { SECURE_CONTEXT_CACHE_SIZE } from '../config/defaults.js';

/**
 * The TLS secure context for a server with a configured CA: Node's bundled roots and that CA, built
 * once per distinct CA and reused by every relay to it (undefined without one: Node's shared default
 * context then does the job).
 *
 * Why: Node replaces its root store when `tls.connect` is given `ca`, so each relay to such a server
 * parsed the ~140 bundled roots again: 50–90 ms of the bridge's CPU per connection in session 8's
 * profile (`tls/secure-context`). The key is the PEM itself: a reload that changes the CA file gets
 * a new context, and the one no longer used ages out.
 */
export function secureContextFor(caPem: string | undefined): tls.SecureContext | undefined {
  if (caPem === undefined) return undefined;
  const cached = contexts.get(caPem);
  if (cached !== undefined) {
    // Most recently used last, so the oldest is the one dropped when the cache is full.
    contexts.delete(caPem);
    contexts.set(caPem, cached);
    return cached;
  }
  const context = tls.createSecureContext({ ca: [...tls.rootCertificates, caPem] });
  contexts.set(caPem, context);
  if (contexts.size > SECURE_CONTEXT_CACHE_SIZE) contexts.delete(contexts.keys().next().value!);
  return context;
}

const contexts = new Map<string, tls.SecureContext>();
