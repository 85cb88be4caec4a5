import { useId } from 'react';
import { displayName } from '../../lib/display-name.js';
import { downloadBytes } from '../../lib/download.js';
import { sanitizeFilename } from '../../lib/filename.js';
import type { ParsedAttachment } from '../../mime/types.js';
import { useI18n } from '../../store/context.js';
import { Icon } from '../Icon.js';

export function Attachments({ attachments }: { attachments: readonly ParsedAttachment[] }) {
  const { t, size } = useI18n();
  const id = useId();
  if (attachments.length === 0) return null;
  return (
    <section className="attachments" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('reader.attachments')}</h3>
      <ul>
        {attachments.map((attachment, index) => {
          const name = sanitizeFilename(attachment.filename, `attachment-${index + 1}`);
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
            </li>
          );
        })}
      </ul>
    </section>
  );
}
