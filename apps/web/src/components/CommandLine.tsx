import { useActions, useAppShallow, useI18n } from '../store/context.js';
import { selectConsole } from '../store/selectors.js';

/**
 * The POP3 command line under the protocol log of the signed-in session: one command at a time through
 * the engine (its reply appears in the log above), history on up/down, Tab completes command names.
 */
export function CommandLine() {
  const { t } = useI18n();
  const actions = useActions();
  const { line, busy, feedback, open } = useAppShallow(selectConsole);
  if (!open) return null;
  return (
    <form
      className="command-line"
      onSubmit={(event) => {
        event.preventDefault();
        void actions.sendConsoleLine();
      }}
    >
      <div className="command-row">
        <span aria-hidden="true" className="log-prefix">
          C:
        </span>
        <input
          type="text"
          aria-label="POP3 command"
          placeholder={t('console.placeholder')}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={line}
          onChange={(event) => actions.setConsoleLine(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
              event.preventDefault();
              actions.stepConsoleHistory(event.key === 'ArrowUp' ? -1 : 1);
            } else if (
              event.key === 'Tab' &&
              !event.shiftKey &&
              line.trim() !== '' &&
              !/\s/.test(line.trim())
            ) {
              // Tab moves focus on as usual, except while a command name is being typed.
              event.preventDefault();
              actions.completeConsoleLine();
            }
          }}
        />
        <button
          type="submit"
          className="button"
          aria-label="Send command"
          disabled={busy || line.trim() === ''}
        >
          {t('console.send')}
        </button>
      </div>
      <div className={`command-feedback ${feedback?.tone ?? ''}`} role="status" aria-live="polite">
        {feedback &&
          ('key' in feedback
            ? t(feedback.key, feedback.params)
            : feedback.sentences.map((sentence) => <p key={sentence}>{sentence}</p>))}
      </div>
    </form>
  );
}
