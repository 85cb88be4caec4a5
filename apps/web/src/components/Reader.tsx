import { useActions, useApp, useI18n } from '../store/context.js';
import { ErrorText } from './ErrorText.js';
import { MessageView } from './reader/MessageView.js';
import { Progress } from './reader/Progress.js';

/** The reading pane's content (lazy-loaded; the "Message" region around it is in the shell). */
export default function Reader() {
  const { t, size } = useI18n();
  const actions = useActions();
  const open = useApp((state) => state.open);
  const ready = useApp((state) => state.session.kind === 'open');
  if (!open) return null;
  const back = (
    <button type="button" className="button ghost back" onClick={() => actions.closeMessage()}>
      ← {t('reader.back')}
    </button>
  );
  switch (open.kind) {
    case 'loading':
      return (
        <>
          {back}
          <Progress open={open} />
        </>
      );
    case 'ready':
      return (
        <>
          {back}
          <MessageView key={`${open.number}-${open.uid ?? ''}`} open={open} />
        </>
      );
    case 'failed':
    case 'cancelled':
      break;
  }
  return (
    <>
      {back}
      <div className={open.kind === 'failed' ? 'alert error' : 'alert'} role="alert">
        {open.kind === 'failed' ? (
          <>
            <strong>{t('reader.failed')}</strong> <ErrorText error={open.error} />
            {open.received > 0 && (
              <p>
                {t('reader.incomplete', {
                  received: size(open.received),
                  total: size(open.total ?? open.size),
                })}
              </p>
            )}
          </>
        ) : (
          t('reader.cancelled')
        )}
        {/* After a drop the banner offers Reconnect; retrying needs a session. */}
        {ready && (
          <button type="button" className="button" onClick={() => void actions.openMessage(open.number)}>
            {t('reader.retry')}
          </button>
        )}
      </div>
    </>
  );
}
