import { parseInvocation, UsageError, type ConnectionArgs, type ParsedCommand } from './args.js';
import { capaCommand } from './commands/capa.js';
import { fetchCommand, FetchStopped } from './commands/fetch.js';
import { listCommand } from './commands/list.js';
import { sendCommand } from './commands/send.js';
import { shellCommand } from './commands/shell.js';
import { showCommand } from './commands/show.js';
import { statCommand } from './commands/stat.js';
import { watchCommand } from './commands/watch.js';
import { isCertificateRefusal, refusedCertificate, type CertificateDetails } from './certificate.js';
import { describeError } from './errors.js';
import { helpText } from './help.js';
import { interruptedExitCode, println, type Io } from './io.js';
import { PromptCancelled } from './password.js';
import { version } from './version.js';

/** Runs `webpop` with these arguments (without `node` and the script); resolves with the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let parsed: ParsedCommand;
  try {
    const invocation = parseInvocation(argv, io.env);
    if (invocation.kind === 'help') {
      println(io.stdout, helpText(invocation.command));
      return 0;
    }
    if (invocation.kind === 'version') {
      println(io.stdout, `webpop ${version()}`);
      return 0;
    }
    parsed = invocation.parsed;
  } catch (error) {
    return usageFailure(io, error, argv.includes('--json'));
  }

  try {
    return await dispatch(io, parsed);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, error, parsed.connection.json);
    return failure(io, error, parsed.connection);
  }
}

function dispatch(io: Io, parsed: ParsedCommand): Promise<number> {
  switch (parsed.command) {
    case 'capa':
      return capaCommand(io, parsed.connection);
    case 'stat':
      return statCommand(io, parsed.connection);
    case 'list':
      return listCommand(io, parsed.connection);
    case 'fetch':
      return parsed.watchMinutes === undefined
        ? fetchCommand(io, parsed.connection, parsed.options)
        : watchCommand(io, parsed.connection, parsed.options, parsed.watchMinutes, (error) =>
            failure(io, error, parsed.connection),
          );
    case 'show':
      return showCommand(io, parsed.connection, {
        message: parsed.message,
        raw: parsed.raw,
        saveAttachments: parsed.saveAttachments,
      });
    case 'shell':
      return shellCommand(io, parsed.connection, { script: parsed.script });
    case 'send':
      return sendCommand(io, parsed.connection, parsed.send);
  }
}

function usageFailure(io: Io, error: unknown, json: boolean): number {
  if (!(error instanceof UsageError)) throw error;
  println(io.stderr, `webpop: ${error.message}`);
  println(io.stderr, `Try 'webpop ${error.command ? `${error.command} ` : ''}--help'.`);
  return jsonError(io, json, error.message, 2);
}

async function failure(io: Io, error: unknown, args: ConnectionArgs): Promise<number> {
  if (error instanceof PromptCancelled) {
    println(io.stderr, `webpop: ${error.message}`);
    return jsonError(io, args.json, error.message, 130);
  }
  const interrupted = io.signal?.aborted === true;
  // A refused certificate: say which one, so that the user can check it and pin it with --fingerprint.
  const certificate =
    !interrupted && isCertificateRefusal(error)
      ? await refusedCertificate(error, args, io.signal)
      : undefined;
  const message =
    interrupted && !(error instanceof FetchStopped)
      ? 'interrupted'
      : oneLine(describeError(error, args, certificate));
  println(io.stderr, `webpop: ${message}`);
  // fetch's JSON summary carries its own `error`.
  if (error instanceof FetchStopped) return error.exitCode;
  return jsonError(io, args.json, message, interrupted ? interruptedExitCode(io) : 1, certificate);
}

/**
 * With --json, a failure is also one object on stdout, `{"error": "…", "exitCode": n}` (and the
 * refused `certificate`, when there is one); returns the code.
 */
function jsonError(
  io: Io,
  json: boolean,
  message: string,
  exitCode: number,
  certificate?: CertificateDetails,
): number {
  if (json)
    println(io.stdout, JSON.stringify({ error: message, exitCode, ...(certificate ? { certificate } : {}) }));
  return exitCode;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
