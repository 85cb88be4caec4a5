import { useId, useState } from 'react';
import { displayName } from '../../lib/display-name.js';
import { downloadBytes } from '../../lib/download.js';
import { sanitizeFilename } from '../../lib/filename.js';
import type { ParsedAttachment } from '../../mime/types.js';
import { useI18n } from '../../store/context.js';
import { Icon } from '../Icon.js';
import { AttachmentPreview } from './AttachmentPreview.js';
import { previewKind } from './preview.js';

export function Attachments({ attachments }: { attachments: readonly ParsedAttachment[] }) {
  const { t, size } = useI18n();
  const id = useId();
  const [previewing, setPreviewing] = useState<number | null>(null);
  if (attachments.length === 0) return null;
  const shown = previewing === null ? undefined : attachments[previewing];
  const shownKind = shown && previewKind(shown);
  return (
    <section className="attachments" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('reader.attachments')}</h3>
      <ul>
        {attachments.map((attachment, index) => {
          const name = sanitizeFilename(attachment.filename, `attachment-${index + 1}`);
          const kind = previewKind(attachment);
          return (
            <li key={`${index}-${name}`}>
              <Icon name="clip" className="attachment-icon" />
              <span className="attachment-name" dir="auto">
                {name}
              </span>
              <span className="muted">
                {displayName(attachment.mimeType, 100)} · {size(attachment.size)}
              </span>
              <button
                type="button"
                className="button"
                aria-label={`Download ${name}`}
                onClick={() => downloadBytes(attachment.content, name)}
              >
                {t('reader.download', { name })}
              </button>
              {kind && (
                <button
                  type="button"
                  className="button ghost"
                  id={`${id}-preview-${index}`}
                  aria-label={`Preview ${name}`}
                  aria-expanded={previewing === index}
                  onClick={() => setPreviewing(previewing === index ? null : index)}
                >
                  {t('reader.preview', { name })}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {shown && shownKind && previewing !== null && (
        <AttachmentPreview
          key={previewing}
          attachment={shown}
          kind={shownKind}
          name={sanitizeFilename(shown.filename, `attachment-${previewing + 1}`)}
          onClose={() => {
            setPreviewing(null);
            document.getElementById(`${id}-preview-${previewing}`)?.focus();
          }}
        />
      )}
    </section>
  );
}
