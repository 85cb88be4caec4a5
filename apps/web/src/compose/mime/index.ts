export {
  buildMessage,
  sentText,
  type BuiltMessage,
  type OutgoingAttachment,
  type OutgoingMessage,
} from './build-message.js';
export { newMessageId, rfc5322Date } from './dates.js';
