import { useActions, useApp, useI18n } from '../store/context.js';

/**
 * What is saved on this device: "312 of 1,000 saved on this device", why downloading stopped, what
 * the server-copy policy marked or had to keep, and "Download the rest" for messages over the limit.
 */
export function DeviceStatus() {
  const { t } = useI18n();
  const actions = useActions();
  const device = useApp((state) => state.device);
  const { download, serverCopy, account } = device;
  if (!account || download.phase === 'idle') return null;
  const headersOnly = account.settings.keepOnDevice.kind === 'headers';
  return (
    <div className="device-status" role="status" aria-live="polite">
      <span>
        {headersOnly && download.total === 0
          ? t('device.headersOnly')
          : t('device.progress', { saved: download.saved, total: download.total })}
        {download.phase === 'running' && '…'}
        {download.phase === 'stopped' &&
          ` — ${t(download.reason === 'quota' ? 'device.quotaStopped' : 'device.saveFailed')}`}
        {download.larger > 0 && ` ${t('device.larger', { count: download.larger })}`}
        {serverCopy.marked > 0 && ` ${t('device.serverMarked', { count: serverCopy.marked })}`}
        {serverCopy.heldForPersistence > 0 &&
          ` ${t('device.serverHeld', { count: serverCopy.heldForPersistence })}`}
      </span>
      {download.larger > 0 && download.phase !== 'running' && (
        <button type="button" className="button" onClick={() => void actions.downloadRest()}>
          {t('device.downloadRest')}
        </button>
      )}
    </div>
  );
}
