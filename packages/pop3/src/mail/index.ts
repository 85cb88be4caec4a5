export { decodeText, decodeTextDetailed, decodeWindows1252, normalizeCharset } from './charset.js';
export type { DecodedText } from './charset.js';
export { decodeEncodedWords } from './encoded-words.js';
export {
  decodeHeaderFields,
  firstAddress,
  formatAddress,
  parseAddress,
  parseHeaderLines,
  parseMailDate,
  senderLabel,
  summarizeHeaders,
} from './headers.js';
export type { HeaderSummary, MailAddress } from './headers.js';
