export { startPop3Server } from './pop3-server/start-pop3-server.js';
export type {
  CommandLogEntry,
  DropAfterCommandFault,
  LoginErrorCode,
  Pop3AccountInput,
  Pop3CommandContext,
  Pop3Faults,
  Pop3Features,
  Pop3Quirks,
  Pop3ServerOptions,
  Pop3State,
  RunningPop3Server,
  SaslMechanism,
  StoredMessage,
} from './pop3-server/types.js';
export { apopDigest } from './pop3-server/apop.js';

export { demoAccount, DEMO_PASSWORD, DEMO_USERNAME, type DemoAccount } from './demo/demo-account.js';
export { corpusMessages, corpusDirectory, type CorpusMessage } from './demo/corpus.js';
export { generateMessages, type GenerateMessagesOptions } from './demo/generate-messages.js';
export { seededRandom } from './demo/seeded-random.js';
export { toCrlf } from './bytes/crlf.js';
export { attachmentPart, multipartMessage, type MimePart, type MultipartMessage } from './bytes/multipart.js';

export {
  startDovecot,
  type DovecotUser,
  type RunningDovecot,
  type StartDovecotOptions,
} from './dovecot/start-dovecot.js';
export type { DovecotOAuth2Options, OAuth2ValidationKey } from './dovecot/oauth2-passdb.js';
export {
  startOidcProvider,
  type IssueOptions,
  type OidcClient,
  type RunningOidcProvider,
  type StartOidcProviderOptions,
} from './oidc/start-oidc-provider.js';
export {
  postfixAvailable,
  startPostfix,
  type RunningPostfix,
  type StartPostfixOptions,
} from './postfix/start-postfix.js';
export {
  startSubmissionServers,
  type RunningSubmissionServers,
  type StartSubmissionServersOptions,
} from './postfix/start-submission-servers.js';

export {
  createSelfSignedCertificate,
  createTestCertificates,
  type TestCertificates,
} from './tls/test-certificates.js';
export { encodeLegacy, type LegacyCharset } from './demo/legacy-charsets.js';
export { fuzzRuns } from './fuzz/fuzz-runs.js';
export { systemChromiumLaunchOptions } from './browser/chromium.js';
export { freeLoopbackPort, waitForPort, type WaitForPortOptions } from './net/ports.js';
export {
  bestTimeMs,
  GROWTH_FACTOR,
  LINEAR_BOUND,
  LINEAR_TIME_TEST_TIMEOUT_MS,
  repeatTo,
  superlinearity,
} from './timing/linear-time.js';

export { startSmtpServer } from './smtp-server/start-smtp-server.js';
export type {
  ReceivedMessage,
  RunningSmtpServer,
  SmtpFaults,
  SmtpFeatures,
  SmtpServerOptions,
  SmtpStage,
} from './smtp-server/types.js';
