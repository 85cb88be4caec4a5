import { summarizeHeaders as summarizeRawHeaders, type HeaderSummary } from '@webpop/pop3/mail';
import { displayText } from './display-text.js';

/**
 * What the message list shows, from a `TOP n 0` reply: the engine's decoded summary, with the subject
 * and sender made safe to display (no bidi or control characters, bounded length).
 */
export function summarizeHeaders(bytes: Uint8Array): HeaderSummary {
  const summary = summarizeRawHeaders(bytes);
  const from = summary.from;
  return {
    ...summary,
    from: from && { name: displayText(from.name), address: displayText(from.address) },
    subject: displayText(summary.subject),
  };
}
