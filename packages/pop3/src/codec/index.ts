// The byte helpers of the engine that other protocol engines of webpop share (packages/smtp): UTF-8,
// hex, base64 and the MD5/HMAC-MD5 of CRAM-MD5 (Web Crypto has no MD5). Pure TypeScript, no DOM, no Node.
export { base64Decode, base64Encode, concatBytes, toHex, utf8 } from '../bytes.js';
export { hmacMd5, md5 } from '../auth/md5.js';
export { AbortWatches } from '../abort-watches.js';
