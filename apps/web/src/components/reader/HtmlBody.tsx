import { useEffect, useMemo, useRef, useState } from 'react';
import { dataUrl, messageSandbox } from '../../mime/message-frame.js';
import type { SanitizedMessage } from '../../mime/sanitize.js';
import type { ParsedAttachment } from '../../mime/types.js';
import { useI18n } from '../../store/context.js';
import { clearPrintCopy, fillPrintCopy } from './print-copy.js';
import { useSanitizer } from './sanitizer-context.js';

/**
 * The sanitizing of a body: under way, done, or failed, for the body it was for (while "Show images"
 * sanitizes the same body again, its frame stays; another body never shows this one's).
 */
type Sanitizing =
  | { readonly kind: 'sanitizing' }
  | { readonly kind: 'sanitized'; readonly html: string; readonly result: SanitizedMessage }
  | { readonly kind: 'failed'; readonly html: string; readonly reason: string };

/** The sanitized HTML body in a sandboxed frame, inline images from the message's own parts. */
export function HtmlBody({
  html,
  attachments,
  allowRemote,
  highlight,
  onBlocked,
}: {
  html: string;
  attachments: readonly ParsedAttachment[];
  allowRemote: boolean;
  /** Folded search terms whose words are marked in the sanitized document (the search hit). */
  highlight?: readonly string[] | undefined;
  onBlocked: (count: number) => void;
}) {
  const { t } = useI18n();
  const sanitize = useSanitizer();
  const inlineImages = useMemo(() => {
    const map = new Map<string, string>();
    for (const attachment of attachments) {
      if (attachment.contentId && attachment.mimeType.startsWith('image/')) {
        map.set(attachment.contentId, dataUrl(attachment.content, attachment.mimeType));
      }
    }
    return map;
  }, [attachments]);
  const [latest, setState] = useState<Sanitizing>({ kind: 'sanitizing' });
  useEffect(() => {
    let current = true;
    sanitize(html, { allowRemote, inlineImages, ...(highlight ? { highlight } : {}) }).then(
      (result) => current && setState({ kind: 'sanitized', html, result }),
      (error: unknown) =>
        current &&
        setState({ kind: 'failed', html, reason: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [sanitize, html, allowRemote, inlineImages, highlight]);
  const state: Sanitizing =
    latest.kind !== 'sanitizing' && latest.html !== html ? { kind: 'sanitizing' } : latest;
  const blocked = state.kind === 'sanitized' ? state.result.blockedRemote : 0;
  useEffect(() => onBlocked(blocked), [blocked, onBlocked]);
  const printRef = useRef<HTMLDivElement>(null);
  const printable = state.kind === 'sanitized' ? state.result.document : undefined;
  useEffect(() => {
    const host = printRef.current;
    if (!host || printable === undefined) return;
    const before = () => fillPrintCopy(host, printable);
    const after = () => clearPrintCopy(host);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
      after();
    };
  }, [printable]);
  if (state.kind === 'failed') {
    return (
      <p className="alert error" role="alert">
        {t('reader.htmlFailed')} <span className="error-detail">{state.reason}</span>
      </p>
    );
  }
  if (state.kind === 'sanitizing')
    return (
      <p className="muted" aria-busy="true">
        {t('reader.htmlPreparing')}
      </p>
    );
  return (
    <>
      <iframe
        className="html-body"
        title={t('reader.htmlTitle')}
        sandbox={messageSandbox}
        srcDoc={state.result.document}
        referrerPolicy="no-referrer"
      />
      <div ref={printRef} className="print-copy" />
    </>
  );
}
