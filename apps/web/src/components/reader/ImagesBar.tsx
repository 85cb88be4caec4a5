import { useActions, useI18n } from '../../store/context.js';

/** Remote images blocked: show them once or always for this sender; or the note that they always show. */
export function ImagesBar({ sender, blocked, always }: { sender: string; blocked: number; always: boolean }) {
  const { t } = useI18n();
  const actions = useActions();
  if (always) {
    return (
      <div className="images-bar">
        <span>
          {t('reader.alwaysShowing', { sender })}{' '}
          <small className="muted">{t('reader.alwaysShowHint')}</small>
        </span>
        <button type="button" className="link-button" onClick={() => actions.setImagesAlways(sender, false)}>
          {t('reader.stopShowing')}
        </button>
      </div>
    );
  }
  if (blocked === 0) return null;
  return (
    <div className="images-bar">
      <span>{t('reader.remoteBlocked')}</span>
      <button
        type="button"
        className="button"
        aria-label="Show images"
        onClick={() => actions.showImagesOnce()}
      >
        {t('reader.showImages')}
      </button>
      {sender && (
        <button
          type="button"
          className="button ghost"
          title={t('reader.alwaysShowHint')}
          onClick={() => actions.setImagesAlways(sender, true)}
        >
          {t('reader.alwaysShow', { sender })}
        </button>
      )}
    </div>
  );
}
