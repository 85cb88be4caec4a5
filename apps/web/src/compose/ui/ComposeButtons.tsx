import { useActions, useApp, useI18n } from '../../store/context.js';
import { selectCannotSend } from '../selectors.js';

/** "Compose" in the toolbar: wherever mail is kept for the account (drafts need the store). */
export function ComposeButton() {
  const { t } = useI18n();
  const actions = useActions();
  const available = useApp((state) => state.device.account !== undefined && state.compose.kind === 'closed');
  const cannotSend = useApp(selectCannotSend);
  return (
    <>
      <button
        type="button"
        className="button primary"
        aria-label="Compose"
        aria-describedby={cannotSend ? 'compose-unavailable' : undefined}
        title={cannotSend ? t('compose.noSubmission') : undefined}
        disabled={!available || cannotSend}
        onClick={() => actions.newMessage()}
      >
        {t('compose.compose')}
      </button>
      {cannotSend && (
        <span id="compose-unavailable" className="compose-unavailable" title={t('compose.noSubmission')}>
          {t('compose.noSubmission')}
        </span>
      )}
    </>
  );
}

/** Reply, Reply all, Forward and Forward as attachment, for the message in the reader. */
export function ReplyButtons() {
  const { t } = useI18n();
  const actions = useActions();
  const available = useApp(
    (state) =>
      state.device.account !== undefined &&
      state.compose.kind === 'closed' &&
      state.open?.kind === 'ready' &&
      state.open.result.kind === 'parsed' &&
      !selectCannotSend(state),
  );
  const buttons = [
    ['Reply', 'compose.reply', () => actions.reply(false)],
    ['Reply all', 'compose.replyAll', () => actions.reply(true)],
    ['Forward', 'compose.forward', () => actions.forward(false)],
    ['Forward as attachment', 'compose.forwardAttached', () => actions.forward(true)],
  ] as const;
  return (
    <span className="reply-buttons">
      {buttons.map(([name, key, onClick]) => (
        <button
          key={name}
          type="button"
          className="button"
          aria-label={name}
          disabled={!available}
          onClick={onClick}
        >
          {t(key)}
        </button>
      ))}
    </span>
  );
}
