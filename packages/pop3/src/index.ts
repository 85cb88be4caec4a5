export { Pop3Client } from './client.js';
export type {
  ClientOptions,
  FetchEachOptions,
  FetchEachResult,
  Greeting,
  MessageEntry,
  QuitOptions,
  SessionState,
  TopOptions,
  TransferOptions,
} from './client.js';
export { defaultPort, openSession, upgradeWithStls } from './session.js';
export type { Security, SessionOptions } from './session.js';
export { Capabilities } from './capabilities.js';
export * from './console/index.js';
export type { LogEntry } from './connection.js';
export { authMethods } from './auth/methods.js';
export type { AuthMethod, Credentials, LoginMethod } from './auth/methods.js';
export { chooseMethods } from './auth/login.js';
export * from './errors.js';
export type { MessageSize, MessageUid, Stat } from './protocol/listings.js';
export type { StatusLine } from './protocol/status-line.js';
export type { TlsInfo, Transport, TransportReceiver } from './transport.js';
export { limits } from './limits.js';
export { headerEnd, headerFieldTexts, headerText } from './message.js';
export * from './mail/index.js';
