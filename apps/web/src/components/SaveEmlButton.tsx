import { downloadBytes } from '../lib/download.js';
import { useI18n } from '../store/context.js';

/**
 * "Save as .eml": the message's bytes exactly as the server sent them (never re-encoded), under its
 * subject as the file name. A download of octet-stream, so the browser never renders it.
 */
export function SaveEmlButton({ raw, subject }: { raw: Uint8Array; subject: string | undefined }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="button ghost"
      aria-label="Save as .eml"
      onClick={() => downloadBytes(raw, `${subject?.trim() || 'message'}.eml`)}
    >
      {t('reader.saveEml')}
    </button>
  );
}
