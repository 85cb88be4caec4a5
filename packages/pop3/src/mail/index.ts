export { decodeText, decodeTextDetailed, decodeWindows1252, normalizeCharset } from './charset.js';
export type { DecodedText } from './charset.js';
export { decodeEncodedWords } from './encoded-words.js';
export { firstAddress, mailboxesOf, parseAddress, parseAddressList } from './address-list.js';
export type {
  AddressListEntry,
  AddressListOptions,
  GroupEntry,
  MailAddress,
  MailboxEntry,
} from './address-list.js';
export { formatAddressList, formatMailbox, formatPhrase } from './address-format.js';
export {
  addressListOf,
  decodeHeaderFields,
  formatAddress,
  parseHeaderLines,
  parseMailDate,
  senderLabel,
  summarizeHeaders,
} from './headers.js';
export type { HeaderSummary } from './headers.js';
export { headerEnd } from '../message.js';
export { firstMessageId, messageIdLimits, parseMessageIds } from './message-ids.js';
