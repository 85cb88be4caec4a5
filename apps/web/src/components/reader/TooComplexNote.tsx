import { useI18n } from '../../store/context.js';
import { SaveEmlButton } from '../SaveEmlButton.js';

/**
 * An HTML body beyond the reader's limits (mimeLimits.maxHtmlDepth, maxHtmlElements) is not rendered:
 * this says so and offers what still works, the source view and the download.
 */
export function TooComplexNote({
  raw,
  subject,
  onViewSource,
}: {
  raw: Uint8Array;
  subject: string;
  onViewSource: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="alert" role="alert">
      <p>{t('reader.htmlTooComplex')}</p>
      <div className="message-actions">
        <button type="button" className="button" onClick={onViewSource}>
          {t('reader.viewSource')}
        </button>
        <SaveEmlButton raw={raw} subject={subject} />
      </div>
    </div>
  );
}
