import { useId, useMemo, useRef, useState } from 'react';
import type { ParsedMessage } from '../../mime/types.js';
import { Highlight } from '../../search/Highlight.js';
import { hitTerms } from '../../search/search-slice.js';
import { fieldMarksOf } from '../../search/field-marks.js';
import { useActions, useAppShallow, useI18n } from '../../store/context.js';
import type { OpenMessage } from '../../store/reader-slice.js';
import { selectRow } from '../../store/selectors.js';
import { Attachments } from './Attachments.js';
import { HtmlBody } from './HtmlBody.js';
import { ImagesBar } from './ImagesBar.js';
import { MessageMeta } from './MessageMeta.js';
import { PlainText } from './PlainText.js';
import { TooComplexNote } from './TooComplexNote.js';
import { SaveEmlButton } from '../SaveEmlButton.js';
import { ReplyButtons } from '../../compose/ui/ComposeButtons.js';
import { HeadersView, SourceView } from './RawViews.js';

type View = 'message' | 'headers' | 'source';

type Ready = Extract<OpenMessage, { kind: 'ready' }>;

/** An opened message: its header lines, the Message/Headers/Source tabs and the chosen view. */
export function MessageView({ open }: { open: Ready }) {
  const { t } = useI18n();
  const actions = useActions();
  const { imagesAlways, deleted, marks } = useAppShallow((state) => ({
    imagesAlways: state.settings.imagesAlways,
    deleted: selectRow(state, open.number)?.deleted ?? false,
    // Opened from the search's results: its hit is marked in the subject and the body too, each
    // with the words that may match there (`from:bob` marks no "bob" in the body).
    marks: fieldMarksOf(state.search.query, hitTerms(state, open.uid)),
  }));
  const terms = marks?.body;
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
          {message?.subject ? (
            <Highlight text={message.subject} terms={marks?.subject} />
          ) : (
            t('list.noSubject')
          )}
        </h2>
        {message && <MessageMeta message={message} rawSize={open.raw.length} />}
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
          <ReplyButtons />
          <SaveEmlButton raw={open.raw} subject={message?.subject} />
          {/* The print style sheet prints only this message (its HTML body through its print copy). */}
          <button type="button" className="button ghost" onClick={() => window.print()}>
            {t('reader.print')}
          </button>
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
            {message.htmlTooComplex && (
              <TooComplexNote
                raw={open.raw}
                subject={message.subject}
                onViewSource={() => setView('source')}
              />
            )}
            {message.html && (
              <ImagesBar sender={sender} blocked={allowRemote ? 0 : blocked} always={always} />
            )}
            {message.html ? (
              <HtmlBody
                html={message.html}
                attachments={message.attachments}
                allowRemote={allowRemote}
                highlight={terms}
                onBlocked={setBlocked}
              />
            ) : message.text ? (
              <PlainText text={message.text} linked={message.textSegments} highlight={terms} />
            ) : message.htmlTooComplex ? null : (
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
