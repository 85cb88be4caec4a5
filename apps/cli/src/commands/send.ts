import {
  SmtpOutcomeUnknownError,
  SmtpRecipientsError,
  type RefusedRecipient,
  type SendResult,
  type Timeouts,
} from '@webpop/smtp';
import { connectSmtp } from '@webpop/smtp/node';
import type { ConnectionArgs } from '../args.js';
import { secretFor, transportOptions } from '../connect.js';
import { describeError } from '../errors.js';
import { println, type Io } from '../io.js';
import { outgoingMessage } from '../send/message.js';
import type { SendArgs } from '../send/options.js';

/** One line of the outcome: what happened to one envelope recipient. */
export interface RecipientOutcome {
  readonly address: string;
  /**
   * `sent`: accepted and the message delivered to the server; `held`: accepted, but nothing was sent;
   * `unknown`: accepted and the whole message sent, but the server's reply to it never came.
   */
  readonly outcome: 'sent' | 'refused' | 'held' | 'unknown';
  readonly code?: number;
  readonly enhancedStatus?: string;
  readonly serverText?: string;
}

/**
 * The exit code when the whole message went out and the server's reply to it did not come back (a
 * drop or a timeout after the final dot): neither 0 (it may not have arrived) nor 1 (it may have:
 * a script that retries on 1 would send it twice).
 */
export const outcomeUnknownExitCode = 3;

/**
 * Sends one message through a submission server (RFC 6409): connects, STARTTLS or TLS as asked, AUTH
 * when --user is given, then MAIL/RCPT/DATA. Prints each recipient's outcome; exit 0 when every
 * recipient took it, 1 when any was refused (by default then nobody gets it: --send-to-accepted).
 */
export async function sendCommand(io: Io, args: ConnectionArgs, send: SendArgs): Promise<number> {
  const message = await outgoingMessage(io, send);
  const secret = args.user === undefined ? undefined : await secretFor(io, { ...args, auth: send.auth });
  const client = await connectSmtp({
    ...(await transportOptions(args, io)),
    ...(args.timeoutMs === undefined ? {} : { timeouts: everyTimeout(args.timeoutMs) }),
    ...(args.user === undefined
      ? {}
      : {
          credentials: {
            username: args.user,
            ...(send.auth === 'xoauth2' || send.auth === 'oauthbearer'
              ? { accessToken: secret }
              : { password: secret }),
            method: send.auth,
            allowPlaintext: args.allowPlaintext,
          },
        }),
  });
  const onAbort = () => client.close();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await client.send(message.envelope, message.bytes, {
      refusedRecipients: send.sendToAccepted ? 'send-to-accepted' : 'abort',
      eightBit: message.eightBit,
      signal: io.signal,
    });
    await client.quit().catch(() => client.close());
    return report(io, args, sentOutcomes(message.envelope.to, result), result);
  } catch (error) {
    client.close();
    if (error instanceof SmtpOutcomeUnknownError) {
      const outcomes = message.envelope.to.map((address) => {
        const refused = error.refused.find((entry) => entry.address === address);
        return refused ? refusedOutcome(refused) : { address, outcome: 'unknown' as const };
      });
      return report(io, args, outcomes, undefined, describeError(error, args));
    }
    if (!(error instanceof SmtpRecipientsError)) throw error;
    const outcomes = message.envelope.to.map((address) => {
      const refused = error.refused.find((entry) => entry.address === address);
      return refused ? refusedOutcome(refused) : { address, outcome: 'held' as const };
    });
    return report(io, args, outcomes, undefined, describeError(error, args));
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
  }
}

function sentOutcomes(to: readonly string[], result: SendResult): RecipientOutcome[] {
  return to.map((address) => {
    const refused = result.refused.find((entry) => entry.address === address);
    return refused ? refusedOutcome(refused) : { address, outcome: 'sent' };
  });
}

function refusedOutcome({ address, error }: RefusedRecipient): RecipientOutcome {
  return {
    address,
    outcome: 'refused',
    code: error.code,
    ...(error.enhancedStatus ? { enhancedStatus: error.enhancedStatus } : {}),
    serverText: error.serverText,
  };
}

/** Prints the outcomes (and on stderr the failure, if any); returns the exit code. */
function report(
  io: Io,
  args: ConnectionArgs,
  outcomes: readonly RecipientOutcome[],
  result: SendResult | undefined,
  failure?: string,
): number {
  const exitCode = outcomes.every(({ outcome }) => outcome === 'sent')
    ? 0
    : outcomes.some(({ outcome }) => outcome === 'unknown')
      ? outcomeUnknownExitCode
      : 1;
  if (failure !== undefined) println(io.stderr, `webpop: ${failure}`);
  if (args.json) {
    println(
      io.stdout,
      JSON.stringify({
        // `sent` is true only for a confirmed send; `delivery` tells a refusal from an unknown outcome,
        // which a script must not simply retry.
        sent: result !== undefined,
        delivery:
          result !== undefined ? 'sent' : exitCode === outcomeUnknownExitCode ? 'unknown' : 'not sent',
        recipients: outcomes,
        ...(result
          ? {
              code: result.code,
              enhancedStatus: result.enhancedStatus ?? null,
              serverText: result.serverText,
              bytes: result.sentBytes,
              pipelined: result.pipelined,
            }
          : { error: failure }),
        exitCode,
      }),
    );
    return exitCode;
  }
  for (const { address, outcome, code, enhancedStatus, serverText } of outcomes) {
    const said =
      code === undefined ? '' : `: ${code}${enhancedStatus ? ` ${enhancedStatus}` : ''} ${serverText}`;
    const held =
      outcome === 'held'
        ? ' (accepted, but not sent: another recipient was refused; --send-to-accepted sends to the rest)'
        : outcome === 'unknown'
          ? ' (accepted; the message was sent, but the server did not confirm it)'
          : '';
    println(io.stdout, `${outcome.padEnd(8)} ${address}${said}${held}`);
  }
  if (result) println(io.stdout, `server: ${result.code} ${result.serverText}`);
  return exitCode;
}

/** --timeout SECONDS: the longest wait for any reply or for the link to take a piece of the message. */
function everyTimeout(ms: number): Timeouts {
  return {
    greeting: ms,
    mail: ms,
    rcpt: ms,
    dataInitiation: ms,
    dataBlock: ms,
    dataTermination: ms,
    other: ms,
  };
}
