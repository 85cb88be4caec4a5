import { readFile } from 'node:fs/promises';
import { environmentVariables, optionsFromEnvironment } from './environment-options.js';
import { MailboxConfigError } from './errors.js';
import { defaultPort } from '@webpop/pop3';
import { mailboxDefaults, type MailboxOptions, type ResolvedMailboxOptions } from './options.js';

/**
 * Applies, in order of precedence, the given options, then the `WEBPOP_POP3_*` environment, then the
 * defaults; checks that enough is there to log in and reads the CA file.
 */
export async function resolveMailboxOptions(
  options: MailboxOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedMailboxOptions> {
  const fromEnvironment = optionsFromEnvironment(env);
  const merged = mergeMailboxOptions(fromEnvironment, options);
  const host = required(merged.host, 'host', environmentVariables.host);
  const username = required(merged.username, 'username', environmentVariables.username);
  if (merged.password === undefined && merged.accessToken === undefined) {
    throw new MailboxConfigError(
      `mailbox: no password or access token for ${username}: set use.mailbox.password (or accessToken) in ` +
        `playwright.config.ts, or ${environmentVariables.password} (or ${environmentVariables.accessToken})`,
    );
  }
  const security = merged.security ?? mailboxDefaults.security;
  const port = merged.port ?? defaultPort(security);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new MailboxConfigError(`mailbox: port must be a number from 1 to 65535, not ${String(port)}`);
  }
  return {
    host,
    port,
    security,
    username,
    address: merged.address ?? (username.includes('@') ? username : undefined),
    password: merged.password,
    accessToken: merged.accessToken,
    auth: merged.auth ?? mailboxDefaults.auth,
    ca: await trustedCas(merged),
    servername: merged.servername,
    allowPlaintext: merged.allowPlaintext ?? false,
    cleanup: merged.cleanup ?? mailboxDefaults.cleanup,
    timeout: positive(merged.timeout, 'timeout') ?? mailboxDefaults.timeout,
    pollInterval: positive(merged.pollInterval, 'pollInterval') ?? mailboxDefaults.pollInterval,
    commandTimeout: positive(merged.commandTimeout, 'commandTimeout') ?? mailboxDefaults.commandTimeout,
    onLog: merged.onLog,
    smtp: { ...fromEnvironment.smtp, ...options.smtp },
  };
}

/** Later layers win; an option set to undefined does not hide the one below it. */
export function mergeMailboxOptions(...layers: ReadonlyArray<MailboxOptions | undefined>): MailboxOptions {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {})) if (value !== undefined) merged[name] = value;
  }
  return merged as MailboxOptions;
}

function required(value: string | undefined, option: string, variable: string): string {
  if (value) return value;
  throw new MailboxConfigError(
    `mailbox: no ${option}: set use.mailbox.${option} in playwright.config.ts, or ${variable}`,
  );
}

function positive(value: number | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new MailboxConfigError(
      `mailbox: ${option} must be a positive number of milliseconds, not ${value}`,
    );
  }
  return value;
}

async function trustedCas(options: MailboxOptions): Promise<Array<string | Buffer> | undefined> {
  const given = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  const fromFile = options.caFile === undefined ? [] : [await readCaFile(options.caFile)];
  const all = [...given, ...fromFile];
  return all.length > 0 ? all : undefined;
}

async function readCaFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new MailboxConfigError(`mailbox: cannot read the CA file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
