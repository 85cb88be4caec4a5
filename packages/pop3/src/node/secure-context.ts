import { createHash } from 'node:crypto';
import tls from 'node:tls';
import { limits } from '../limits.js';

/**
 * The TLS secure context that trusts Node's bundled roots and `extra`, one per distinct set of extra
 * CAs and reused by every connection that trusts the same set (undefined without extra CAs: Node's
 * shared default context then does the job).
 *
 * Why: Node replaces its root store when `tls.connect` is given `ca`, so each such connection parsed
 * the ~140 bundled roots again: 50–90 ms of CPU per connection in session 8's profile
 * (`tls/secure-context`), 220 ms on a loaded 2-core machine, for each SMTP or POP3 connection to a
 * server with a configured CA. A cached context costs a hash of the extra PEMs.
 */
export function secureContextFor(extra: ReadonlyArray<string | Buffer>): tls.SecureContext | undefined {
  if (extra.length === 0) return undefined;
  const key = keyOf(extra);
  const cached = contexts.get(key);
  if (cached !== undefined) {
    // Most recently used last, so the oldest is the one dropped when the cache is full.
    contexts.delete(key);
    contexts.set(key, cached);
    return cached;
  }
  const context = tls.createSecureContext({ ca: [...tls.rootCertificates, ...extra] });
  contexts.set(key, context);
  if (contexts.size > limits.secureContextCacheSize) contexts.delete(contexts.keys().next().value!);
  return context;
}

/** How many secure contexts are cached (for tests). */
export function cachedSecureContexts(): number {
  return contexts.size;
}

const contexts = new Map<string, tls.SecureContext>();

/** SHA-256 over each PEM with its length before it, so no two different lists share a key. */
function keyOf(extra: ReadonlyArray<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const pem of extra) {
    const bytes = typeof pem === 'string' ? Buffer.from(pem, 'utf8') : pem;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
