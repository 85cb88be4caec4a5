// The wire protocol between the browser's POP3 engine and webpop's bridge (apps/bridge/README.md):
// one WebSocket per POP3 session, JSON text frames for control, binary frames for the session's bytes.
// Both sides import their encoders and parsers from here, so they cannot drift apart.
export { defaultPort, defaultSubmissionPort, isSecurity, securities, type Security } from './security.js';
export { closeCodeFor, errorCodes, GOING_AWAY, isErrorCode, NORMAL_CLOSE, type ErrorCode } from './codes.js';
export {
  connectFrame,
  MAX_CONTROL_FRAME_BYTES,
  parseClientFrame,
  services,
  starttlsFrame,
  type ClientFrame,
  type ConnectTarget,
  type Service,
} from './client-frames.js';
export {
  connectedFrame,
  errorFrame,
  parseBridgeFrame,
  tlsFrame,
  type BridgeFrame,
  type ConnectedFrame,
  type ErrorFrame,
  type TlsFrame,
} from './bridge-frames.js';
export {
  parseTlsSummary,
  summarizeTls,
  wireTlsSummary,
  type PeerCertificateLike,
  type TlsSocketLike,
  type TlsSummary,
} from './tls.js';
export { KindedError, transportErrorKinds, type SecurityRefusal, type TransportErrorKind } from './errors.js';
export { BoundedLine } from './line-buffer.js';
export { feedUnlessUpgrading } from './upgrade-guard.js';
export type { OAuthProvider } from './oauth.js';
