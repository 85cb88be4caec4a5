import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  settingsLimits,
  type AccountSettings as Settings,
  type KeepOnDevice,
  type ServerCopyPolicy,
} from '../mailstore/index.js';
import { useActions, useApp, useI18n } from '../store/context.js';

/** The "Settings" button and its "Account settings" dialog: server copy, keep on this device, storage. */
export function AccountSettingsButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const available = useApp((state) => state.device.account !== undefined);
  return (
    <>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        disabled={!available}
        title={available ? undefined : t('settings.unavailable')}
        onClick={() => setOpen((value) => !value)}
      >
        {t('settings.button')}
      </button>
      {open && <AccountSettingsDialog onClose={() => setOpen(false)} />}
    </>
  );
}

type ServerCopyKind = ServerCopyPolicy['kind'];
type KeepKind = KeepOnDevice['kind'];

function AccountSettingsDialog({ onClose }: { onClose: () => void }) {
  const { t, size } = useI18n();
  const actions = useActions();
  const device = useApp((state) => state.device);
  const settings = device.account?.settings;
  const id = useId();
  const first = useRef<HTMLInputElement>(null);
  const [serverCopy, setServerCopy] = useState<ServerCopyKind>(settings?.serverCopy.kind ?? 'keep');
  // The number fields hold what is typed (possibly empty); normalizeSettings brings it into limits.
  const [days, setDays] = useState(
    String(settings?.serverCopy.kind === 'afterDays' ? settings.serverCopy.days : 30),
  );
  const [keep, setKeep] = useState<KeepKind>(settings?.keepOnDevice.kind ?? 'upTo');
  const [kb, setKb] = useState(
    String(settings?.keepOnDevice.kind === 'upTo' ? settings.keepOnDevice.kb : 512),
  );
  const [acknowledged, setAcknowledged] = useState(settings?.evictionAcknowledged ?? false);
  useEffect(() => {
    first.current?.focus();
    void actions.refreshStorage();
  }, [actions]);
  if (!settings) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Settings = {
      serverCopy:
        serverCopy === 'afterDays' ? { kind: 'afterDays', days: Number(days) } : { kind: serverCopy },
      keepOnDevice: keep === 'upTo' ? { kind: 'upTo', kb: Number(kb) } : { kind: keep },
      evictionAcknowledged: acknowledged,
    };
    void actions.saveAccountSettings(next).then(onClose);
  };
  const radio = <K extends string>(
    name: string,
    value: K,
    current: K,
    set: (value: K) => void,
    label: string,
  ) => (
    <label className="radio">
      <input
        ref={value === 'keep' ? first : undefined}
        type="radio"
        name={`${id}-${name}`}
        value={value}
        checked={current === value}
        onChange={() => set(value)}
      />
      {label}
    </label>
  );
  const { usage, estimate, persistence } = device;
  return (
    <div
      className="dialog account-settings"
      role="dialog"
      aria-modal="false"
      aria-label="Account settings"
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <h2>{t('settings.title')}</h2>
      {/* No browser validation: normalizeSettings brings the numbers into their limits on Save. */}
      <form noValidate onSubmit={submit}>
        <fieldset role="radiogroup" aria-label="Server copy">
          <legend>{t('settings.serverCopy')}</legend>
          {radio('copy', 'keep', serverCopy, setServerCopy, t('settings.keep'))}
          {radio('copy', 'afterDays', serverCopy, setServerCopy, t('settings.afterDays'))}
          <label className="number-field">
            {t('settings.days')}
            <input
              type="number"
              aria-label="Days"
              min={settingsLimits.minDays}
              max={settingsLimits.maxDays}
              value={days}
              disabled={serverCopy !== 'afterDays'}
              onChange={(event) => setDays(event.target.value)}
            />
          </label>
          {radio('copy', 'whenDeletedHere', serverCopy, setServerCopy, t('settings.whenDeletedHere'))}
          {radio('copy', 'onceSaved', serverCopy, setServerCopy, t('settings.onceSaved'))}
        </fieldset>
        <fieldset role="radiogroup" aria-label="Keep on this device">
          <legend>{t('settings.keepOnDevice')}</legend>
          {radio('keep', 'headers', keep, setKeep, t('settings.headersOnly'))}
          {radio('keep', 'upTo', keep, setKeep, t('settings.upTo'))}
          <label className="number-field">
            <input
              type="number"
              aria-label="KB"
              min={settingsLimits.minKb}
              max={settingsLimits.maxKb}
              value={kb}
              disabled={keep !== 'upTo'}
              onChange={(event) => setKb(event.target.value)}
            />
            {t('settings.kb')}
          </label>
          {radio('keep', 'everything', keep, setKeep, t('settings.everything'))}
        </fieldset>
        <section aria-label="Storage">
          <h3>{t('settings.storage')}</h3>
          {usage && <p>{t('settings.usage', { count: usage.messages, size: size(usage.bytes) })}</p>}
          {estimate && (
            <p>{t('settings.estimate', { usage: size(estimate.usage), quota: size(estimate.quota) })}</p>
          )}
          <p>{t(`settings.persist.${persistence}`)}</p>
          {persistence !== 'granted' && persistence !== 'unsupported' && (
            <button type="button" className="button" onClick={() => void actions.requestPersistence()}>
              {t('settings.persist')}
            </button>
          )}
          {persistence !== 'granted' && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={acknowledged}
                onChange={(event) => setAcknowledged(event.target.checked)}
              />
              {t('settings.acknowledge')}
            </label>
          )}
        </section>
        <div className="dialog-actions">
          <button type="submit" className="button primary">
            {t('settings.save')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('settings.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
