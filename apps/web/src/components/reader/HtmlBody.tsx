import { useEffect, useMemo } from 'react';
import { dataUrl, messageSandbox, sanitizeMessageHtml } from '../../mime/sanitize.js';
import type { ParsedAttachment } from '../../mime/types.js';
import { useI18n } from '../../store/context.js';

/** The sanitized HTML body in a sandboxed frame, inline images from the message's own parts. */
export function HtmlBody({
  html,
  attachments,
  allowRemote,
  onBlocked,
}: {
  html: string;
  attachments: readonly ParsedAttachment[];
  allowRemote: boolean;
  onBlocked: (count: number) => void;
}) {
  const { t } = useI18n();
  const inlineImages = useMemo(() => {
    const map = new Map<string, string>();
    for (const attachment of attachments) {
      if (attachment.contentId && attachment.mimeType.startsWith('image/')) {
        map.set(attachment.contentId, dataUrl(attachment.content, attachment.mimeType));
      }
    }
    return map;
  }, [attachments]);
  const sanitized = useMemo(
    () => sanitizeMessageHtml(html, { allowRemote, inlineImages }),
    [html, allowRemote, inlineImages],
  );
  useEffect(() => onBlocked(sanitized.blockedRemote), [sanitized.blockedRemote, onBlocked]);
  return (
    <iframe
      className="html-body"
      title={t('reader.htmlTitle')}
      sandbox={messageSandbox}
      srcDoc={sanitized.document}
      referrerPolicy="no-referrer"
    />
  );
}
