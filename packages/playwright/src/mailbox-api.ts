// Everything but the Playwright fixture: for other test runners, scripts, or global setup.
export {
  Mailbox,
  createMailbox,
  type ExpectNoMessageOptions,
  type WaitForMessageOptions,
} from './mailbox.js';
export { ReceivedMessage, parseReceivedMessage } from './received-message.js';
export type { ContentCriteria, HeaderCriteria, MessageCriteria } from './criteria.js';
export type { TextPattern } from './text-pattern.js';
export type { HeaderSummary } from './header-summary.js';
export type { CleanupMode, MailboxOptions, ResolvedMailboxOptions } from './options.js';
export { environmentVariables } from './environment-options.js';
export { resolveMailboxOptions } from './resolve-options.js';
export { MailboxTimeoutError, type ArrivedMessage } from './timeout-error.js';
export { UnexpectedMessageError } from './unexpected-message-error.js';
export { MailboxLoginError, MailboxTlsError } from './connection-errors.js';
export type { MailboxScope } from './test-address.js';
export { MailboxCancelledError, MailboxConfigError, MessageContentError } from './errors.js';
export type { OutgoingAttachment, SendMessageOptions, SentMessage, SmtpOptions } from './send.js';
export type { OpenMessageOptions } from './open-in-page.js';
export type { MessageLink } from './links.js';
