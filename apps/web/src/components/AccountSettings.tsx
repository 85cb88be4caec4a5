import { useEffect, useRef, useState, type Dispatch, type FormEvent, type SetStateAction } from 'react';
import {
  appearanceLimits,
  settingsLimits,
  type AccountAppearance,
  type AccountSettings as Settings,
  type KeepOnDevice,
  type ServerCopyPolicy,
} from '../mailstore/index.js';
import { useActions, useApp, useI18n } from '../store/context.js';
import { Choice } from './Choice.js';
import { ACCOUNT_COLOURS, colourName } from '../accounts/colours.js';
import { newMailLimits } from '../newmail/limits.js';
import {
  defaultNewMailSettings,
  newMailSettingsOf,
  sameNewMail,
  type NewMailSettings,
} from '../newmail/settings.js';

/**
 * The "Settings" button and its "Account settings" dialog: server copy, keep on this device, storage,
 * and the identity this account writes as.
 */
export function AccountSettingsButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const available = useApp((state) => state.device.account !== undefined);
  return (
    <>
      <button
        type="button"
        className="button"
        // The same name in every language, as the toolbar's other buttons (it was the visible
        // text: "Einstellungen" in German, seen in the German search e2e).
        aria-label="Settings"
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
type Identity = NonNullable<Settings['identity']>;
const noIdentity: Identity = { name: '', address: '', replyTo: '', signature: '' };
const noAppearance: AccountAppearance = { displayName: '', colour: null };
const AUTOMATIC = 'automatic';

function AccountSettingsDialog({ onClose }: { onClose: () => void }) {
  const { t, size } = useI18n();
  const actions = useActions();
  const device = useApp((state) => state.device);
  const settings = device.account?.settings;
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
  const [identity, setIdentity] = useState<Identity>(settings?.identity ?? noIdentity);
  const [newMail, setNewMail] = useState(() => newMailForm(newMailSettingsOf(settings)));
  const [appearance, setAppearance] = useState<AccountAppearance>(settings?.appearance ?? noAppearance);
  const [listPreview, setListPreview] = useState(settings?.listPreview ?? false);
  useEffect(() => {
    first.current?.focus();
    void actions.refreshStorage();
  }, [actions]);
  if (!settings) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let next: Settings = {
      serverCopy:
        serverCopy === 'afterDays' ? { kind: 'afterDays', days: Number(days) } : { kind: serverCopy },
      keepOnDevice: keep === 'upTo' ? { kind: 'upTo', kb: Number(kb) } : { kind: keep },
      evictionAcknowledged: acknowledged,
      ...(listPreview ? { listPreview } : {}),
      ...(settings.identity || Object.values(identity).some((value) => value.trim() !== '')
        ? { identity }
        : {}),
    };
    const chosen = { check: newMail.check, minutes: Number(newMail.minutes), notify: newMail.notify };
    if (settings.newMail || !sameNewMail(chosen, defaultNewMailSettings)) next = { ...next, newMail: chosen };
    if (settings.appearance || appearance.displayName.trim() !== '' || appearance.colour !== null)
      next = { ...next, appearance };
    void actions.saveAccountSettings(next).then(onClose);
  };
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
        <Choice
          name="Server copy"
          legend={t('settings.serverCopy')}
          firstRef={first}
          options={[
            ['keep', t('settings.keep')],
            [
              'afterDays',
              t('settings.afterDays'),
              <NumberField
                name="Days"
                before={t('settings.days')}
                min={settingsLimits.minDays}
                max={settingsLimits.maxDays}
                value={days}
                disabled={serverCopy !== 'afterDays'}
                onChange={setDays}
              />,
            ],
            ['whenDeletedHere', t('settings.whenDeletedHere')],
            ['onceSaved', t('settings.onceSaved')],
          ]}
          value={serverCopy}
          onChange={setServerCopy}
        />
        <Choice
          name="Keep on this device"
          legend={t('settings.keepOnDevice')}
          options={[
            ['headers', t('settings.headersOnly')],
            [
              'upTo',
              t('settings.upTo'),
              <NumberField
                name="KB"
                after={t('settings.kb')}
                min={settingsLimits.minKb}
                max={settingsLimits.maxKb}
                value={kb}
                disabled={keep !== 'upTo'}
                onChange={setKb}
              />,
            ],
            ['everything', t('settings.everything')],
          ]}
          value={keep}
          onChange={setKeep}
        />
        <AppearanceFields value={appearance} onChange={setAppearance} />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={listPreview}
            onChange={(event) => setListPreview(event.target.checked)}
          />
          {t('settings.listPreview')}
        </label>
        <p className="hint">{t('settings.listPreviewHint')}</p>
        <NewMailFields value={newMail} onChange={setNewMail} />
        <IdentityFields value={identity} onChange={setIdentity} />
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

/** A number field named `name` (English, for tests) that belongs to a radio option, with words around it. */
function NumberField(props: {
  name: string;
  before?: string;
  after?: string;
  min: number;
  max: number;
  value: string;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <label className="number-field">
      {props.before}
      <input
        type="number"
        aria-label={props.name}
        min={props.min}
        max={props.max}
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {props.after}
    </label>
  );
}

/** How the account is named and coloured in the Accounts navigation, All inboxes and the sign-in page. */
function AppearanceFields({
  value,
  onChange,
}: {
  value: AccountAppearance;
  onChange: (value: AccountAppearance) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset aria-label="Appearance">
      <legend>{t('settings.appearance')}</legend>
      <label className="text-field">
        <span>{t('settings.displayName')}</span>
        <input
          type="text"
          aria-label="Display name"
          autoComplete="off"
          maxLength={appearanceLimits.displayNameChars}
          value={value.displayName}
          onChange={(event) => onChange({ ...value, displayName: event.target.value })}
        />
      </label>
      <label className="text-field colour-field">
        <span>{t('settings.colour')}</span>
        <span className="colour-choice">
          <span
            className="account-colour"
            aria-hidden="true"
            style={value.colour ? { background: value.colour } : undefined}
          />
          <select
            aria-label="Colour"
            value={value.colour ?? AUTOMATIC}
            onChange={(event) =>
              onChange({ ...value, colour: event.target.value === AUTOMATIC ? null : event.target.value })
            }
          >
            <option value={AUTOMATIC}>{t('settings.colour.automatic')}</option>
            {ACCOUNT_COLOURS.map((colour) => (
              <option key={colour} value={colour}>
                {t(colourName(colour))}
              </option>
            ))}
          </select>
        </span>
      </label>
      <p className="hint">{t('settings.appearanceHint')}</p>
    </fieldset>
  );
}

/** Who this account writes as: From's name and address, a Reply-To, the signature under new text. */
function IdentityFields({ value, onChange }: { value: Identity; onChange: (value: Identity) => void }) {
  const { t } = useI18n();
  const field = (key: Exclude<keyof Identity, 'signature'>, name: string, words: string, type: string) => (
    <label className="text-field">
      <span>{words}</span>
      <input
        type={type}
        aria-label={name}
        autoComplete="off"
        value={value[key]}
        onChange={(event) => onChange({ ...value, [key]: event.target.value })}
      />
    </label>
  );
  return (
    <fieldset aria-label="Identity">
      <legend>{t('settings.identity')}</legend>
      {field('name', 'Your name', t('settings.yourName'), 'text')}
      {field('address', 'Email address', t('settings.address'), 'email')}
      {field('replyTo', 'Reply-To', t('settings.replyTo'), 'text')}
      <label className="text-field">
        <span>{t('settings.signature')}</span>
        <textarea
          aria-label="Signature"
          rows={3}
          value={value.signature}
          onChange={(event) => onChange({ ...value, signature: event.target.value })}
        />
      </label>
      <p className="hint">{t('settings.identityHint')}</p>
    </fieldset>
  );
}

/** The form's new-mail fields: the minutes as typed (normalizeNewMail brings them into limits on Save). */
interface NewMailForm {
  readonly check: boolean;
  readonly minutes: string;
  readonly notify: boolean;
}

function newMailForm(settings: NewMailSettings): NewMailForm {
  return { ...settings, minutes: String(settings.minutes) };
}

/**
 * "Check for new mail" every N "Minutes", "Notify me of new mail". Ticking Notify asks the browser's
 * permission in the click itself (a user gesture); refused, the box stays clear and says why.
 */
function NewMailFields({
  value,
  onChange,
}: {
  value: NewMailForm;
  onChange: Dispatch<SetStateAction<NewMailForm>>;
}) {
  const { t } = useI18n();
  const actions = useActions();
  const permission = useApp((state) => state.newMail.permission);
  const onNotify = (notify: boolean) => {
    onChange((form) => ({ ...form, notify }));
    if (!notify || permission === 'granted') return;
    void actions.askNotifyPermission().then((answer) => {
      if (answer !== 'granted') onChange((form) => ({ ...form, notify: false }));
    });
  };
  return (
    <fieldset aria-label="New mail">
      <legend>{t('newMail.heading')}</legend>
      <div className="checkbox">
        <input
          type="checkbox"
          id="new-mail-check"
          aria-label="Check for new mail"
          checked={value.check}
          onChange={(event) => {
            const check = event.target.checked;
            onChange((form) => ({ ...form, check }));
          }}
        />
        <label htmlFor="new-mail-check">{t('newMail.check')}</label>{' '}
        <input
          type="number"
          aria-label="Minutes"
          min={newMailLimits.minMinutes}
          max={newMailLimits.maxMinutes}
          value={value.minutes}
          disabled={!value.check}
          onChange={(event) => {
            const minutes = event.target.value;
            onChange((form) => ({ ...form, minutes }));
          }}
        />{' '}
        {t('newMail.minutes')}
      </div>
      <p className="hint">{t('newMail.hint')}</p>
      <label className="checkbox">
        <input
          type="checkbox"
          aria-label="Notify me of new mail"
          checked={value.notify && permission !== 'denied' && permission !== 'unsupported'}
          disabled={permission === 'unsupported'}
          onChange={(event) => onNotify(event.target.checked)}
        />
        {t('newMail.notify')}
      </label>
      <p className="hint">
        {permission === 'denied'
          ? t('newMail.denied')
          : permission === 'unsupported'
            ? t('newMail.unsupported')
            : t('newMail.notifyHint')}
      </p>
    </fieldset>
  );
}
