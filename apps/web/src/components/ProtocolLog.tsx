import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useActions, useAppShallow, useI18n } from '../store/context.js';
import { selectAccount } from '../store/selectors.js';
import { CommandLine } from './CommandLine.js';

const LINE_HEIGHT = 20;

/** The live POP3 dialogue, like a telnet session (the engine redacts secrets before they get here). */
export default function ProtocolLog() {
  const { t } = useI18n();
  const actions = useActions();
  const { log, dropped, account } = useAppShallow((state) => ({
    log: state.log,
    dropped: state.logDropped,
    account: selectAccount(state),
  }));
  const scrollRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const closeRef = useRef<HTMLButtonElement>(null);

  const virtualizer = useVirtualizer({
    count: log.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 20,
  });

  // Follow the end of the log unless the user scrolled up to read.
  useEffect(() => {
    if (pinned.current && log.length > 0) virtualizer.scrollToIndex(log.length - 1, { align: 'end' });
  }, [log.length, virtualizer]);

  useEffect(() => closeRef.current?.focus(), []);

  return (
    <section className="log-panel" role="region" aria-label="Protocol log">
      <header className="log-header">
        <h2>{t('log.title')}</h2>
        <span className="muted small">{t('log.redacted')}</span>
        {account && (
          <span className="muted small log-account">
            {[
              account.loginMethod?.toUpperCase(),
              account.pipelining ? 'PIPELINING' : undefined,
              account.implementation,
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        )}
        <div className="log-actions">
          <button type="button" className="button ghost" onClick={() => actions.clearLog()}>
            {t('log.clear')}
          </button>
          <button
            ref={closeRef}
            type="button"
            className="button ghost"
            aria-label="Close log"
            onClick={() => actions.toggleLog(false)}
          >
            {t('log.close')}
          </button>
        </div>
      </header>
      {account && account.notes.length > 0 && (
        <ul className="log-notes" aria-label={t('session.notes')}>
          {account.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {dropped > 0 && <p className="muted small">{t('log.truncated', { count: log.length })}</p>}
      <div
        ref={scrollRef}
        className="log-lines"
        role="log"
        aria-live="off"
        aria-label="POP3 dialogue"
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < LINE_HEIGHT * 2;
        }}
      >
        {log.length === 0 ? (
          <p className="placeholder">{t('log.empty')}</p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const line = log.at(item.index);
              if (!line) return null;
              const prefix =
                line.direction === 'client' ? 'C: ' : line.direction === 'server' ? 'S: ' : '-- ';
              return (
                <div
                  key={line.id}
                  className={`log-line ${line.direction}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <span aria-hidden="true" className="log-prefix">
                    {prefix}
                  </span>
                  {line.text}
                </div>
              );
            })}
          </div>
        )}
      </div>
      <CommandLine />
    </section>
  );
}
