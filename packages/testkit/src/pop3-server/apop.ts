import { createHash, timingSafeEqual } from 'node:crypto';

/** The RFC 1939 greeting timestamp, unique per connection. */
export function apopTimestamp(connection: number): string {
  return `<${process.pid}.${Date.now()}.${connection}@webpop-testkit>`;
}

export function apopDigest(timestamp: string, password: string): string {
  return createHash('md5')
    .update(timestamp + password, 'utf8')
    .digest('hex');
}

export function apopDigestMatches(timestamp: string, password: string, digest: string): boolean {
  return safeEqual(apopDigest(timestamp, password), digest.toLowerCase());
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
