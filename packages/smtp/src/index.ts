export { SmtpClient } from './client.js';
export type { ClientOptions, Greeting, SessionState } from './client.js';
export { openSubmission } from './session.js';
export { defaultSubmissionPort } from '@webpop/wire';
export type { Security, SubmissionOptions } from './session.js';
export { Capabilities } from './capabilities.js';
export type { LogEntry } from './connection.js';
export type { AuthMethod, Credentials, SaslMethod } from './auth/methods.js';
export { chooseMechanisms } from './auth/login.js';
export type {
  Envelope,
  MessageSource,
  RefusedRecipientsPolicy,
  SendOptions,
  SendResult,
} from './transaction.js';
export type { DsnOptions } from './protocol/commands.js';
export type { Reply } from './protocol/reply.js';
export { DotStuffer, dotStuffedLength } from './protocol/dot-stuffing.js';
export * from './errors.js';
export { limits } from './limits.js';
export type { Timeouts, TimeoutName } from './limits.js';
export type { TlsInfo, Transport, TransportReceiver } from '@webpop/pop3';
