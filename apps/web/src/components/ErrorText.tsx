import type { UiError } from '../session/errors.js';
import { useI18n } from '../store/context.js';

/** An error in words, then the server's (or bridge's) own text. */
export function ErrorText({ error }: { error: UiError }) {
  const { t } = useI18n();
  const { detail } = error;
  return (
    <>
      <span className="error-words">{t(error.key, error.params)}</span>
      {detail && (
        <span className="error-detail">
          {t(
            detail.source === 'server'
              ? 'error.serverSaid'
              : detail.source === 'bridge'
                ? 'error.bridgeSaid'
                : 'error.details',
            { text: detail.text },
          )}
        </span>
      )}
    </>
  );
}
