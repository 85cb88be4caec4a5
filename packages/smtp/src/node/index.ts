import { connectNodeTransport, type NodeTransportOptions } from '@webpop/pop3/node';
import type { Transport } from '@webpop/pop3';
import type { SmtpClient } from '../client.js';
import { fromTransportError } from '../errors.js';
import { openSubmission, type SubmissionOptions } from '../session.js';

export type NodeSubmissionTransportOptions = NodeTransportOptions;

/**
 * A TCP (and, for `tls`, TLS) link to a submission server: the POP3 engine's Node transport (the same
 * certificate checks and STARTTLS-injection guard), with its errors as SmtpErrors.
 */
export async function connectSubmissionTransport(
  options: NodeSubmissionTransportOptions,
): Promise<Transport> {
  try {
    return await connectNodeTransport(options);
  } catch (error) {
    throw fromTransportError(error);
  }
}

export type ConnectSmtpOptions = NodeSubmissionTransportOptions & SubmissionOptions;

/** Connects over Node's net/tls, reads the greeting, EHLO, STARTTLS where asked, AUTH where given. */
export async function connectSmtp(options: ConnectSmtpOptions): Promise<SmtpClient> {
  return openSubmission(await connectSubmissionTransport(options), options);
}
