import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import { useActions, useApp, useI18n } from '../../store/context.js';
import { selectKnownAddresses } from '../selectors.js';
import type { ComposeFields } from '../fields.js';

// The formatted editor loads when it is first chosen, not with the mailbox: 4.5 KB minified (2.0 KB
// gzipped) in the production build, which the mailbox chunk held before (41.9 KB → 38.2 KB).
const FormattedEditor = lazy(() =>
  import('./FormattedEditor.js').then((module) => ({ default: module.FormattedEditor })),
);

const noAddresses: readonly string[] = [];

type AddressField = 'to' | 'cc' | 'bcc';
const addressFields: ReadonlyArray<readonly [AddressField, 'To' | 'Cc' | 'Bcc']> = [
  ['to', 'To'],
  ['cc', 'Cc'],
  ['bcc', 'Bcc'],
];

/**
 * The "New message" dialog: From (the account's identity), To/Cc/Bcc with addresses known from the
 * mail store offered as you type, Subject, "Formatted text" (off: the plain-text "Message"; on: the
 * formatted editor, also named "Message"), files by "Attach files" or dropped on the dialog, "Keep a
 * copy on the server"; Send, Save draft, Discard, Close. Everything typed is saved as a draft on this
 * device as it is typed.
 */
export function ComposeDialog() {
  const { t, size } = useI18n();
  const actions = useActions();
  const compose = useApp((state) => state.compose);
  // Only while the dialog is open: the dialog stays mounted, and every change of the rows (each
  // flush of a listing's headers) sorted all the senders again, 0.3 s of a 10,000-message listing.
  const known = useApp((state) =>
    state.compose.kind === 'open' ? selectKnownAddresses(state) : noAddresses,
  );
  const fileInput = useRef<HTMLInputElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [dropping, setDropping] = useState(false);
  /** Switching to plain text would lose formatting: the dialog asks first. */
  const [confirmPlain, setConfirmPlain] = useState(false);
  const draftId = compose.kind === 'open' ? compose.draftId : undefined;
  useEffect(() => {
    if (draftId) firstField.current?.focus();
    setConfirmPlain(false);
  }, [draftId]);
  const options = useMemo(() => known.map((entry) => <option key={entry} value={entry} />), [known]);
  if (compose.kind !== 'open') return null;
  const { fields, identity, status, saved } = compose;
  const sending = status.kind === 'sending';
  const edit = (change: Partial<ComposeFields>) => actions.editCompose(change);
  const onFormatted = async (formatted: boolean) => {
    if (formatted) return actions.setComposeFormat('html');
    const { losesFormatting } = await import('../html/index.js');
    if (losesFormatting(fields.html)) setConfirmPlain(true);
    else await actions.setComposeFormat('plain');
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDropping(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) void actions.attachFiles(files);
  };

  return (
    <div
      className="dialog compose"
      role="dialog"
      aria-modal="false"
      aria-label="New message"
      data-dropping={dropping}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
      onKeyDown={(event) => event.key === 'Escape' && void actions.closeCompose()}
    >
      <h2>{fields.subject.trim() || t('compose.title')}</h2>
      <datalist id={listId}>{options}</datalist>
      <fieldset disabled={sending} className="compose-fields">
        <label>
          <span>{t('compose.from')}</span>
          <input
            aria-label="From"
            readOnly
            value={
              identity.address
                ? identity.name
                  ? `${identity.name} <${identity.address}>`
                  : identity.address
                : ''
            }
            placeholder={t('compose.noFrom')}
          />
        </label>
        {addressFields.map(([key, name], index) => (
          <label key={key}>
            <span>{t(`compose.${key}`)}</span>
            <input
              ref={index === 0 ? firstField : undefined}
              aria-label={name}
              type="text"
              list={listId}
              autoComplete="off"
              value={fields[key]}
              onChange={(event) => edit({ [key]: event.target.value })}
            />
          </label>
        ))}
        <label>
          <span>{t('compose.subject')}</span>
          <input
            aria-label="Subject"
            value={fields.subject}
            onChange={(event) => edit({ subject: event.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            aria-label="Formatted text"
            checked={fields.format === 'html'}
            onChange={(event) => void onFormatted(event.target.checked)}
          />
          <span>{t('compose.formatted')}</span>
        </label>
        {confirmPlain && (
          <div className="banner warning" role="alert">
            <p>{t('compose.formattingLost')}</p>
            <button
              type="button"
              className="button"
              aria-label="Switch to plain text"
              onClick={() => {
                setConfirmPlain(false);
                void actions.setComposeFormat('plain');
              }}
            >
              {t('compose.switchToPlain')}
            </button>{' '}
            <button
              type="button"
              className="button ghost"
              aria-label="Keep formatting"
              onClick={() => setConfirmPlain(false)}
            >
              {t('compose.keepFormatting')}
            </button>
          </div>
        )}
        {fields.format === 'html' ? (
          <Suspense fallback={null}>
            <FormattedEditor
              key={draftId}
              html={fields.html}
              disabled={sending}
              onChange={(html) => edit({ html })}
            />
          </Suspense>
        ) : (
          <textarea
            aria-label="Message"
            rows={14}
            value={fields.text}
            onChange={(event) => edit({ text: event.target.value })}
          />
        )}
        <div className="compose-attachments">
          <button
            type="button"
            className="button"
            aria-label="Attach files"
            onClick={() => fileInput.current?.click()}
          >
            {t('compose.attach')}
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              if (files.length > 0) void actions.attachFiles(files);
            }}
          />
          <ul aria-label="Attachments">
            {fields.attachments.map((file, index) => (
              <li key={`${index}-${file.name}`}>
                <span dir="auto">{file.name}</span> <span className="size">{size(file.bytes.length)}</span>
                <button
                  type="button"
                  className="button ghost icon-only"
                  aria-label={`Remove ${file.name}`}
                  onClick={() => actions.removeAttachment(index)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          {dropping && <p className="hint">{t('compose.dropHere')}</p>}
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={fields.keepCopyOnServer}
            onChange={(event) => edit({ keepCopyOnServer: event.target.checked })}
          />
          <span>{t('compose.keepCopy')}</span>
        </label>
        <p className="hint">{t('compose.keepCopyHint')}</p>
      </fieldset>
      <SendOutcome />
      <p className="draft-state" role="status">
        {saved === 'saved'
          ? t('compose.saved')
          : saved === 'failed'
            ? t('compose.saveFailed')
            : t('compose.saving')}
      </p>
      <div className="dialog-actions">
        <button
          type="button"
          className="button primary"
          aria-label="Send"
          disabled={sending}
          onClick={() => void actions.sendMessage()}
        >
          {t('compose.send')}
        </button>
        <button
          type="button"
          className="button"
          aria-label="Save draft"
          disabled={sending}
          onClick={() => void actions.saveDraft()}
        >
          {t('compose.saveDraft')}
        </button>
        <button
          type="button"
          className="button"
          aria-label="Discard"
          disabled={sending}
          onClick={() => void actions.discardDraft()}
        >
          {t('compose.discard')}
        </button>
        <button
          type="button"
          className="button ghost"
          aria-label="Close"
          disabled={sending}
          onClick={() => void actions.closeCompose()}
        >
          {t('compose.close')}
        </button>
      </div>
    </div>
  );
}

/** Progress while sending, and why a message was not sent. */
function SendOutcome() {
  const { t, size } = useI18n();
  const actions = useActions();
  const status = useApp((state) => (state.compose.kind === 'open' ? state.compose.status : undefined));
  switch (status?.kind) {
    case 'sending':
      return (
        <div className="send-progress">
          <progress aria-label="Sending" max={status.total} value={status.sent} />
          <span>{t('compose.sending', { sent: size(status.sent), total: size(status.total) })}</span>
        </div>
      );
    case 'invalid':
      return (
        <p className="banner error" role="alert">
          {status.addresses.length === 0
            ? t('compose.noRecipient')
            : status.addresses.includes('')
              ? t('compose.noFrom')
              : t('compose.invalid', { addresses: status.addresses.join(', ') })}
        </p>
      );
    case 'refused':
      return (
        <div className="banner error" role="alert">
          <p>{t('compose.refused')}</p>
          <ul>
            {status.recipients.map((recipient) => (
              <li key={recipient.address}>
                <strong>{recipient.address}</strong>: {recipient.serverText}
              </li>
            ))}
          </ul>
          {status.accepted.length > 0 && (
            <p>
              {t('compose.othersAccepted', { count: status.accepted.length })}{' '}
              <button
                type="button"
                className="button"
                aria-label="Send to the others"
                onClick={() => void actions.sendToOthers()}
              >
                {t('compose.sendToOthers')}
              </button>
            </p>
          )}
        </div>
      );
    case 'failed':
      return (
        <p className="banner error" role="alert">
          {t('compose.failed', { reason: status.reason })}
        </p>
      );
    case 'unknown':
      return (
        <p className="banner warning" role="alert">
          {t('compose.unknown', { reason: status.reason })}
        </p>
      );
    default:
      return null;
  }
}
