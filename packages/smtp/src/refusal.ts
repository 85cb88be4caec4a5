import { SmtpProtocolError, SmtpServerError, type SmtpError, type SmtpPhase } from './errors.js';
import { replyText, type Reply } from './protocol/reply.js';

/** A reply that refuses, as the typed error every caller sees (a 2xx/3xx where it does not belong: protocol). */
export function refusal(command: string, reply: Reply, phase: SmtpPhase): SmtpError {
  if (reply.code < 400) {
    return new SmtpProtocolError(`${command}: unexpected reply ${reply.code} ${replyText(reply)}`);
  }
  return new SmtpServerError(command, reply.code, reply.enhancedStatus, replyText(reply), phase);
}
