import { authMethods, type Security } from '@webpop/pop3';
import type { CleanupMode, MailboxOptions } from './options.js';
import { MailboxConfigError } from './errors.js';
import type { SmtpOptions } from './send.js';

/** The environment variables the mailbox reads, by the option each one sets. */
export const environmentVariables = {
  host: 'WEBPOP_POP3_HOST',
  port: 'WEBPOP_POP3_PORT',
  security: 'WEBPOP_POP3_SECURITY',
  username: 'WEBPOP_POP3_USER',
  address: 'WEBPOP_POP3_ADDRESS',
  password: 'WEBPOP_POP3_PASSWORD',
  accessToken: 'WEBPOP_POP3_ACCESS_TOKEN',
  auth: 'WEBPOP_POP3_AUTH',
  caFile: 'WEBPOP_POP3_CA_FILE',
  servername: 'WEBPOP_POP3_SERVERNAME',
  allowPlaintext: 'WEBPOP_POP3_ALLOW_PLAINTEXT',
  cleanup: 'WEBPOP_POP3_CLEANUP',
  log: 'WEBPOP_POP3_LOG',
  smtpHost: 'WEBPOP_SMTP_HOST',
  smtpPort: 'WEBPOP_SMTP_PORT',
  smtpSecurity: 'WEBPOP_SMTP_SECURITY',
  smtpUsername: 'WEBPOP_SMTP_USER',
  smtpPassword: 'WEBPOP_SMTP_PASSWORD',
} as const;

const securities: readonly Security[] = ['tls', 'starttls', 'none'];
const cleanupModes: readonly CleanupMode[] = ['consumed', 'none', 'all'];

/** MailboxOptions from `WEBPOP_POP3_*` variables; unset or empty variables are left out. */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv = process.env): MailboxOptions {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const v = environmentVariables;
  const options: MailboxOptions = {};
  const host = read(v.host);
  if (host !== undefined) options.host = host;
  const port = read(v.port);
  if (port !== undefined) options.port = parsePort(port, v.port);
  const security = read(v.security);
  if (security !== undefined) options.security = oneOf(security.toLowerCase(), securities, v.security);
  const username = read(v.username);
  if (username !== undefined) options.username = username;
  const address = read(v.address);
  if (address !== undefined) options.address = address;
  // Secrets are taken as they are: no trimming, and never echoed in an error.
  if (env[v.password]) options.password = env[v.password];
  if (env[v.accessToken]) options.accessToken = env[v.accessToken];
  const auth = read(v.auth);
  if (auth !== undefined) options.auth = oneOf(auth.toLowerCase(), authMethods, v.auth);
  const caFile = read(v.caFile);
  if (caFile !== undefined) options.caFile = caFile;
  const servername = read(v.servername);
  if (servername !== undefined) options.servername = servername;
  const allowPlaintext = read(v.allowPlaintext);
  if (allowPlaintext !== undefined) options.allowPlaintext = parseBoolean(allowPlaintext, v.allowPlaintext);
  const cleanup = read(v.cleanup);
  if (cleanup !== undefined) options.cleanup = oneOf(cleanup.toLowerCase(), cleanupModes, v.cleanup);
  const log = read(v.log);
  if (log !== undefined && parseBoolean(log, v.log)) {
    options.onLog = ({ direction, text }) =>
      process.stderr.write(`${direction === 'client' ? 'C' : 'S'}: ${text}\n`);
  }
  const smtp: SmtpOptions = {};
  const smtpHost = read(v.smtpHost);
  if (smtpHost !== undefined) smtp.host = smtpHost;
  const smtpPort = read(v.smtpPort);
  if (smtpPort !== undefined) smtp.port = parsePort(smtpPort, v.smtpPort);
  const smtpSecurity = read(v.smtpSecurity);
  if (smtpSecurity !== undefined)
    smtp.security = oneOf(smtpSecurity.toLowerCase(), securities, v.smtpSecurity);
  const smtpUsername = read(v.smtpUsername);
  if (smtpUsername !== undefined) smtp.username = smtpUsername;
  if (env[v.smtpPassword]) smtp.password = env[v.smtpPassword];
  if (Object.keys(smtp).length > 0) options.smtp = smtp;
  return options;
}

function parsePort(text: string, source: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new MailboxConfigError(
      `${source} must be a port number from 1 to 65535, not ${JSON.stringify(text)}`,
    );
  }
  return port;
}

function oneOf<T extends string>(text: string, allowed: readonly T[], source: string): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new MailboxConfigError(
    `${source} must be one of ${allowed.map((value) => `'${value}'`).join(', ')}, not ${JSON.stringify(text)}`,
  );
}

function parseBoolean(text: string, source: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new MailboxConfigError(`${source} must be true or false, not ${JSON.stringify(text)}`);
}
