// The byte helpers of the engine that other protocol engines of webpop share (packages/smtp): UTF-8,
// hex, base64, the MD5/HMAC-MD5 of CRAM-MD5 (Web Crypto has no MD5), and the OAuth SASL pieces
// (RFC 7628's GS2 name, the bearer token check, the error challenge's JSON). Pure TypeScript, no DOM, no Node.
export { base64Decode, base64Encode, concatBytes, toHex, utf8 } from '../bytes.js';
export { hmacMd5, md5 } from '../auth/md5.js';
export { AbortWatches } from '../abort-watches.js';
export { gs2SaslName, isBearerToken, parseOAuthFailure } from '../auth/oauth-failure.js';
export type { OAuthFailure } from '../errors.js';
