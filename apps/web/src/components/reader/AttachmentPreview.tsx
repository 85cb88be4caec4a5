import { useEffect, useId, useMemo, useRef } from 'react';
import type { ParsedAttachment } from '../../mime/types.js';
import { useI18n } from '../../store/context.js';
import { pdfFrameUrl, previewText, type PreviewKind } from './preview.js';

/** One attachment shown in the reader: a labelled region with a close button (focused when it opens). */
export function AttachmentPreview({
  attachment,
  kind,
  name,
  onClose,
}: {
  attachment: ParsedAttachment;
  kind: PreviewKind;
  name: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const title = t('reader.previewTitle', { name });
  return (
    <section
      className="attachment-preview"
      role="region"
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        onClose();
      }}
    >
      <div className="attachment-preview-bar">
        <h4 id={`${id}-title`} dir="auto">
          {title}
        </h4>
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          {t('reader.previewClose')}
        </button>
      </div>
      {kind === 'image' && <ImagePreview attachment={attachment} title={title} />}
      {kind === 'pdf' && <PdfPreview attachment={attachment} title={title} />}
      {kind === 'text' && <TextPreview attachment={attachment} title={title} />}
    </section>
  );
}

function ImagePreview({ attachment, title }: { attachment: ParsedAttachment; title: string }) {
  // A blob: URL of a raster type only (preview.ts); revoked with the preview.
  const url = useMemo(
    () => URL.createObjectURL(new Blob([attachment.content], { type: attachment.mimeType })),
    [attachment],
  );
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return <img className="preview-image" src={url} alt={title} />;
}

function PdfPreview({ attachment, title }: { attachment: ParsedAttachment; title: string }) {
  const url = useMemo(() => pdfFrameUrl(attachment.content), [attachment]);
  // No sandbox attribute on purpose: see pdfFrameUrl (the data: URL's opaque origin isolates it).
  return <iframe className="preview-pdf" title={title} src={url} referrerPolicy="no-referrer" />;
}

function TextPreview({ attachment, title }: { attachment: ParsedAttachment; title: string }) {
  const { t } = useI18n();
  const { text, total } = useMemo(() => previewText(attachment.content), [attachment]);
  return (
    <>
      {text.length < total && (
        <p className="muted" role="note">
          {t('reader.previewCut', { shown: text.length, total })}
        </p>
      )}
      <pre className="preview-text" aria-label={title} tabIndex={0} dir="auto">
        {text}
      </pre>
    </>
  );
}
