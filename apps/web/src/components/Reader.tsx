import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { displayName } from '../lib/display-name.js';
import { sanitizeFilename } from '../lib/filename.js';
import { downloadBytes } from '../lib/download.js';
import { decodeText, type MailAddress } from '@webpop/pop3/mail';
import { revealBidiControls } from '../mime/reveal-bidi.js';
import { linkify, type TextSegment } from '../mime/linkify.js';
import { dataUrl, messageSandbox, sanitizeMessageHtml } from '../mime/sanitize.js';
import type { ParsedAttachment, ParsedMessage } from '../mime/types.js';
import { useActions, useApp, useAppShallow, useI18n } from '../store/context.js';
import type { OpenMessage } from '../store/reader-slice.js';
import { selectRow } from '../store/selectors.js';
import { ErrorText } from './ErrorText.js';
import { Icon } from './Icon.js';
import { SaveEmlButton } from './SaveEmlButton.js';

/** The source view shows at most this much (a message may be tens of megabytes). */
const SOURCE_LIMIT = 512 * 1024;

type View = 'message' | 'headers' | 'source';

type Loading = Extract<OpenMessage, { kind: 'loading' }>;
type Ready = Extract<OpenMessage, { kind: 'ready' }>;

function Progress({ open }: { open: Loading }) {
  const { t, size } = useI18n();
  const actions = useActions();
  const total = open.total ?? open.size;
  const parsing = open.stage === 'parse';
  const label = parsing
    ? t('reader.parsing')
    : total
      ? t('reader.downloading', { received: size(open.received), total: size(total) })
      : t('reader.downloadingUnknown', { received: size(open.received) });
  return (
    <div className="reader-progress" role="status">
      <p>{label}</p>
      <progress
        aria-label="Download progress"
        max={total || undefined}
        value={parsing ? undefined : Math.min(open.received, total || open.received)}
      />
      {!parsing && (
        <button type="button" className="button" onClick={() => actions.cancelOpen()}>
          {t('reader.cancel')}
        </button>
      )}
    </div>
  );
}

function Addresses({ label, list }: { label: string; list: readonly MailAddress[] }) {
  if (list.length === 0) return null;
  return (
    <div className="meta-line">
      <dt>{label}</dt>
      <dd>
        {list.map((address, index) => (
          <span key={`${address.address}-${index}`} className="address" title={address.address} dir="auto">
            {address.name ? `${address.name} <${address.address}>` : address.address}
            {index < list.length - 1 ? ', ' : ''}
          </span>
        ))}
      </dd>
    </div>
  );
}

function PlainText({ text, linked }: { text: string; linked: readonly TextSegment[] | undefined }) {
  // The worker links the text; a message parsed elsewhere (tests) is linked here.
  const segments = useMemo(() => linked ?? linkify(text), [text, linked]);
  return (
    <div className="plain-text">
      {segments.map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </div>
  );
}

function HtmlBody({
  html,
  attachments,
  allowRemote,
  onBlocked,
}: {
  html: string;
  attachments: readonly ParsedAttachment[];
  allowRemote: boolean;
  onBlocked: (count: number) => void;
}) {
  const { t } = useI18n();
  const inlineImages = useMemo(() => {
    const map = new Map<string, string>();
    for (const attachment of attachments) {
      if (attachment.contentId && attachment.mimeType.startsWith('image/')) {
        map.set(attachment.contentId, dataUrl(attachment.content, attachment.mimeType));
      }
    }
    return map;
  }, [attachments]);
  const sanitized = useMemo(
    () => sanitizeMessageHtml(html, { allowRemote, inlineImages }),
    [html, allowRemote, inlineImages],
  );
  useEffect(() => onBlocked(sanitized.blockedRemote), [sanitized.blockedRemote, onBlocked]);
  return (
    <iframe
      className="html-body"
      title={t('reader.htmlTitle')}
      sandbox={messageSandbox}
      srcDoc={sanitized.document}
      referrerPolicy="no-referrer"
    />
  );
}

function Attachments({ attachments }: { attachments: readonly ParsedAttachment[] }) {
  const { t, size } = useI18n();
  const id = useId();
  if (attachments.length === 0) return null;
  return (
    <section className="attachments" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('reader.attachments')}</h3>
      <ul>
        {attachments.map((attachment, index) => {
          const name = sanitizeFilename(attachment.filename, `attachment-${index + 1}`);
          return (
            <li key={`${index}-${name}`}>
              <Icon name="clip" className="attachment-icon" />
              <span className="attachment-name" dir="auto">
                {name}
              </span>
              <span className="muted">
                {displayName(attachment.mimeType, 100)} · {size(attachment.size)}
              </span>
              <button
                type="button"
                className="button"
                aria-label={`Download ${name}`}
                onClick={() => downloadBytes(attachment.content, name)}
              >
                {t('reader.download', { name })}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function HeadersView({ message }: { message: ParsedMessage }) {
  return (
    <table className="headers-view">
      <tbody>
        {message.headers.map((header, index) => (
          <tr key={index}>
            <th scope="row">{header.name}</th>
            <td dir="auto">{header.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SourceView({ raw }: { raw: Uint8Array }) {
  const { t, size } = useI18n();
  const text = useMemo(() => revealBidiControls(decodeText(raw.subarray(0, SOURCE_LIMIT))), [raw]);
  return (
    <>
      {raw.length > SOURCE_LIMIT && (
        <p className="muted">
          {t('reader.sourceTruncated', { shown: size(SOURCE_LIMIT), total: size(raw.length) })}
        </p>
      )}
      <pre className="source-view" tabIndex={0}>
        {text}
      </pre>
    </>
  );
}

function ImagesBar({ sender, blocked, always }: { sender: string; blocked: number; always: boolean }) {
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

function MessageView({ open }: { open: Ready }) {
  const { t, fullDate, size } = useI18n();
  const actions = useActions();
  const { imagesAlways, deleted } = useAppShallow((state) => ({
    imagesAlways: state.settings.imagesAlways,
    deleted: selectRow(state, open.number)?.deleted ?? false,
  }));
  const message: ParsedMessage | undefined = open.result.kind === 'parsed' ? open.result.message : undefined;
  const [view, setView] = useState<View>(message ? 'message' : 'source');
  const [blocked, setBlocked] = useState(0);
  const id = useId();
  const sender = message?.from?.address.toLowerCase() ?? '';
  const always = sender !== '' && imagesAlways.includes(sender);
  const allowRemote = open.imagesOnce || always;

  // Inline parts referenced from the HTML are shown in it; everything else is listed.
  const listed = useMemo(() => {
    if (!message) return [];
    return message.attachments.filter(
      (attachment) =>
        !(
          message.html &&
          attachment.related &&
          attachment.contentId &&
          attachment.disposition !== 'attachment' &&
          attachment.mimeType.startsWith('image/')
        ),
    );
  }, [message]);

  const views: View[] = message ? ['message', 'headers', 'source'] : ['source'];
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  return (
    <article className="message" aria-labelledby={`${id}-subject`}>
      <header className="message-header">
        <h2 id={`${id}-subject`} className="message-subject" dir="auto">
          {message?.subject || t('list.noSubject')}
        </h2>
        {message && (
          <dl className="meta">
            <div className="meta-line">
              <dt>{t('reader.from')}</dt>
              <dd dir="auto">
                {message.from
                  ? message.from.name
                    ? `${message.from.name} <${message.from.address}>`
                    : message.from.address
                  : t('list.unknownSender')}
              </dd>
            </div>
            <Addresses label={t('reader.to')} list={message.to} />
            <Addresses label={t('reader.cc')} list={message.cc} />
            {message.date && (
              <div className="meta-line">
                <dt>{t('reader.date')}</dt>
                <dd>{fullDate(message.date)}</dd>
              </div>
            )}
            <div className="meta-line">
              <dt>{t('reader.size')}</dt>
              <dd>{size(open.raw.length)}</dd>
            </div>
          </dl>
        )}
        <div className="message-actions">
          <div className="tabs" role="tablist" aria-label="View">
            {views.map((entry, index) => (
              <button
                key={entry}
                ref={(element) => {
                  tabRefs.current[entry] = element;
                }}
                type="button"
                role="tab"
                id={`${id}-tab-${entry}`}
                aria-controls={`${id}-panel`}
                aria-selected={view === entry}
                tabIndex={view === entry ? 0 : -1}
                className="tab"
                onClick={() => setView(entry)}
                onKeyDown={(event) => {
                  if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
                  const next =
                    views[(index + (event.key === 'ArrowRight' ? 1 : views.length - 1)) % views.length]!;
                  setView(next);
                  tabRefs.current[next]?.focus();
                }}
              >
                {t(`reader.view.${entry}`)}
              </button>
            ))}
          </div>
          <button type="button" className="button ghost" onClick={() => actions.setRead(open.number, false)}>
            {t('reader.markUnread')}
          </button>
          <SaveEmlButton raw={open.raw} subject={message?.subject} />
        </div>
      </header>
      {deleted && <p className="marked-note">{t('delete.thisMarked')}</p>}
      {open.result.kind === 'unparsed' && (
        <p className="alert error" role="alert">
          {t(open.result.tooComplex ? 'reader.tooComplex' : 'reader.parseFailed')}{' '}
          <span className="error-detail">{open.result.reason}</span>
        </p>
      )}
      {message?.truncated && (
        <p className="alert" role="note">
          {t('reader.bodyTruncated', { shown: message.truncated.shown, total: message.truncated.total })}
        </p>
      )}
      <div className="message-body" role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${view}`}>
        {view === 'message' && message && (
          <>
            {message.html && (
              <ImagesBar sender={sender} blocked={allowRemote ? 0 : blocked} always={always} />
            )}
            {message.html ? (
              <HtmlBody
                html={message.html}
                attachments={message.attachments}
                allowRemote={allowRemote}
                onBlocked={setBlocked}
              />
            ) : message.text ? (
              <PlainText text={message.text} linked={message.textSegments} />
            ) : (
              <p className="muted">{t('reader.noContent')}</p>
            )}
            <Attachments attachments={listed} />
          </>
        )}
        {view === 'headers' && message && <HeadersView message={message} />}
        {view === 'source' && <SourceView raw={open.raw} />}
      </div>
    </article>
  );
}

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
