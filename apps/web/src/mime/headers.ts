import { summarizeHeaders as summarizeRawHeaders, type HeaderSummary } from '@webpop/pop3/mail';
import { displayName } from '../lib/display-name.js';
import { mimeLimits } from './limits.js';

/** What the list shows of a message; `headersCut` when its header block was longer than the list reads. */
export interface ListHeaders extends HeaderSummary {
  readonly headersCut?: { readonly shown: number; readonly total: number };
}

/**
 * The header block cut at `max` bytes: a value that runs past it keeps its start (the list cuts long
 * values for display anyway) instead of vanishing with its whole line.
 */
export function capHeaderBlock(bytes: Uint8Array, max: number = mimeLimits.maxListHeaderBytes): Uint8Array {
  return bytes.length <= max ? bytes : bytes.subarray(0, max);
}

/**
 * What the message list shows, from a `TOP n 0` reply: the engine's decoded summary of at most
 * mimeLimits.maxListHeaderBytes of it (the rest is cut, and `headersCut` says so), with the subject
 * and sender made safe to display. `receivedBytes`: the reply's whole length when the engine already
 * kept only its start (fetchEach's `keepBytes`).
 */
export function summarizeHeaders(bytes: Uint8Array, receivedBytes: number = bytes.length): ListHeaders {
  const kept = capHeaderBlock(bytes);
  const summary = summarizeRawHeaders(kept);
  const from = summary.from;
  const total = Math.max(receivedBytes, bytes.length);
  return {
    ...summary,
    from: from && { name: displayName(from.name), address: displayName(from.address) },
    subject: displayName(summary.subject),
    ...(kept.length < total ? { headersCut: { shown: kept.length, total } } : {}),
  };
}
