import {
  firstMessageId,
  headerEnd,
  parseHeaderLines,
  summarizeHeaders as summarizeRawHeaders,
} from '@webpop/pop3/mail';
import { displayName } from '../lib/display-name.js';
import type { HeaderSummary } from '../mailstore/index.js';
import { mimeLimits } from './limits.js';
import { attachmentInHeaders, previewOfTop, type TopHeaders } from './list-preview.js';

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
 * and sender made safe to display, and the ids conversations are built from. `receivedBytes`: the
 * reply's whole length when the engine already kept only its start (fetchEach's `keepBytes`).
 * `withPreview`: the reply is a `TOP n 10`, whose body lines give `preview` (and may show an attachment).
 */
export function summarizeHeaders(
  bytes: Uint8Array,
  receivedBytes: number = bytes.length,
  withPreview = false,
): ListHeaders {
  const kept = capHeaderBlock(bytes);
  const summary = summarizeRawHeaders(kept);
  const from = summary.from;
  const total = Math.max(receivedBytes, bytes.length);
  const messageId = firstMessageId(summary.messageId);
  const references = [...summary.references];
  if (summary.inReplyTo !== undefined && !references.includes(summary.inReplyTo))
    references.push(summary.inReplyTo);
  let attachment = attachmentInHeaders(summary);
  let preview: string | undefined;
  if (withPreview) {
    const top: TopHeaders = { fields: parseHeaderLines(kept), body: kept.subarray(headerEnd(kept)) };
    const read = previewOfTop(top);
    preview = displayName(read.text);
    attachment ||= read.attachment;
  }
  return {
    from: from && { name: displayName(from.name), address: displayName(from.address) },
    subject: displayName(summary.subject),
    date: summary.date,
    ...(messageId !== undefined ? { messageId } : {}),
    references,
    ...(attachment ? { attachment } : {}),
    ...(preview !== undefined ? { preview } : {}),
    ...(kept.length < total ? { headersCut: { shown: kept.length, total } } : {}),
  };
}
