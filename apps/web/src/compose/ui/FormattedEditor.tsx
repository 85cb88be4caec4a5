import {
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { useSanitizer } from '../../components/reader/sanitizer-context.js';
import { useI18n } from '../../store/context.js';

/**
 * The formatted "Message": a contenteditable textbox with a toolbar (Bold, Italic, Link, Bulleted
 * list, Numbered list, Quote; Ctrl/Cmd+B and +I). It is given `html` when it mounts (a draft's
 * sanitized HTML, or plain text made paragraphs) and reports every change; pasted and dropped HTML
 * goes through the sanitizer before it is inserted, so nothing scriptable or remote enters the page.
 */
export function FormattedEditor({
  html,
  disabled,
  onChange,
}: {
  readonly html: string;
  readonly disabled: boolean;
  readonly onChange: (html: string) => void;
}) {
  const { t } = useI18n();
  const sanitize = useSanitizer();
  const editor = useRef<HTMLDivElement>(null);
  const savedRange = useRef<Range | undefined>(undefined);
  const [linking, setLinking] = useState(false);
  const [address, setAddress] = useState('');

  // Once, when it mounts: afterwards the element holds the text and reports it.
  useLayoutEffect(() => {
    if (editor.current) editor.current.innerHTML = html;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the initial content only
  }, []);

  const report = () => {
    if (editor.current) onChange(editor.current.innerHTML);
  };

  /** A range inside the editor: the selection's, else the end of the text. */
  const currentRange = (): Range | undefined => {
    const root = editor.current;
    if (!root) return undefined;
    const selection = document.getSelection();
    const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : undefined;
    if (range && root.contains(range.commonAncestorContainer)) return range;
    const end = document.createRange();
    end.selectNodeContents(root);
    end.collapse(false);
    return end;
  };

  const select = (range: Range | undefined) => {
    editor.current?.focus();
    if (!range) return;
    const selection = document.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  };

  /** A document.execCommand (what gives the browser's undo); false where there is none (jsdom). */
  const command = (name: string, value?: string): boolean => {
    editor.current?.focus();
    const done = typeof document.execCommand === 'function' && document.execCommand(name, false, value);
    report();
    return done;
  };

  /** Safe HTML at `range`: through the browser's insertHTML where it has one, else as nodes. */
  const insertSafe = (safe: string, range: Range | undefined) => {
    select(range);
    if (command('insertHTML', safe)) return;
    const target = currentRange();
    if (!target) return;
    // A template's content is inert: nothing in it loads or runs while it is moved into place.
    const template = document.createElement('template');
    template.innerHTML = safe;
    target.deleteContents();
    const last = template.content.lastChild;
    target.insertNode(template.content);
    if (last) {
      target.setStartAfter(last);
      target.collapse(true);
      select(target);
    }
    report();
  };

  const insertTransfer = (data: DataTransfer) => {
    const range = currentRange()?.cloneRange();
    const markup = data.getData('text/html');
    if (markup) {
      void import('../html/index.js').then(async ({ safeComposeHtml }) =>
        insertSafe(await safeComposeHtml(markup, sanitize), range),
      );
    } else {
      // Text is inserted as text (line breaks as the editor makes them), never parsed as markup.
      const text = data.getData('text/plain');
      select(range);
      if (command('insertText', text)) return;
      const target = currentRange();
      if (!target) return;
      target.deleteContents();
      target.insertNode(document.createTextNode(text));
      target.collapse(false);
      report();
    }
  };

  const onPaste = (event: ClipboardEvent) => {
    event.preventDefault();
    insertTransfer(event.clipboardData);
  };

  const onDrop = (event: DragEvent) => {
    // Files go on to the dialog, which attaches them.
    if (event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.stopPropagation();
    insertTransfer(event.dataTransfer);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key === 'b' || key === 'i') {
      event.preventDefault();
      command(key === 'b' ? 'bold' : 'italic');
    } else if (key === 'k') {
      event.preventDefault();
      startLink();
    }
  };

  const startLink = () => {
    savedRange.current = currentRange()?.cloneRange();
    setAddress('');
    setLinking(true);
  };

  const addLink = () => {
    const typed = address.trim();
    setLinking(false);
    // Only what the sanitizer keeps: web and mail addresses (a bare one is taken as https).
    const url = /^(?:https?:|mailto:)/i.test(typed)
      ? typed
      : typed.includes('@') && !typed.includes('/')
        ? `mailto:${typed}`
        : `https://${typed}`;
    if (typed === '') return select(savedRange.current);
    const range = savedRange.current;
    select(range);
    if (range && !range.collapsed) {
      if (!command('createLink', url)) {
        const link = document.createElement('a');
        link.href = url;
        link.append(range.extractContents());
        range.insertNode(link);
        report();
      }
    } else {
      const link = document.createElement('a');
      link.href = url;
      link.textContent = typed;
      insertSafe(link.outerHTML, range);
    }
  };

  /** Quote toggles: out of a blockquote when the selection is in one. */
  const toggleQuote = () => {
    const range = currentRange();
    const node = range?.commonAncestorContainer;
    const element = node?.nodeType === 1 ? (node as Element) : node?.parentElement;
    const inQuote = element?.closest('blockquote');
    if (inQuote && editor.current?.contains(inQuote)) command('outdent');
    else command('formatBlock', 'blockquote');
  };

  const tools: ReadonlyArray<readonly [string, string, () => void, string]> = [
    ['Bold', t('compose.bold'), () => command('bold'), 'B'],
    ['Italic', t('compose.italic'), () => command('italic'), 'I'],
    ['Link', t('compose.link'), startLink, '🔗'],
    ['Bulleted list', t('compose.bulletedList'), () => command('insertUnorderedList'), '•'],
    ['Numbered list', t('compose.numberedList'), () => command('insertOrderedList'), '1.'],
    ['Quote', t('compose.quote'), toggleQuote, '❝'],
  ];

  return (
    <div className="formatted-editor">
      <div className="format-toolbar" role="toolbar" aria-label="Formatting">
        {tools.map(([name, label, run, icon]) => (
          <button
            key={name}
            type="button"
            className="button ghost"
            aria-label={name}
            title={label}
            disabled={disabled}
            // The editor keeps its selection (and focus) while a tool is clicked.
            onMouseDown={(event) => event.preventDefault()}
            onClick={run}
          >
            <span aria-hidden="true">{icon}</span>
          </button>
        ))}
      </div>
      {linking && (
        <div className="link-form">
          <label>
            <span>{t('compose.linkAddress')}</span>
            <input
              aria-label="Link address"
              type="text"
              inputMode="url"
              autoFocus
              value={address}
              onChange={(event) => setAddress(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  addLink();
                } else if (event.key === 'Escape') {
                  event.stopPropagation();
                  setLinking(false);
                  select(savedRange.current);
                }
              }}
            />
          </label>
          <button type="button" className="button" aria-label="Add link" onClick={addLink}>
            {t('compose.addLink')}
          </button>
          <button
            type="button"
            className="button ghost"
            aria-label="Cancel link"
            onClick={() => {
              setLinking(false);
              select(savedRange.current);
            }}
          >
            {t('compose.cancel')}
          </button>
        </div>
      )}
      <div
        ref={editor}
        className="formatted-message"
        role="textbox"
        aria-multiline="true"
        aria-label="Message"
        aria-disabled={disabled || undefined}
        contentEditable={!disabled}
        suppressContentEditableWarning
        tabIndex={0}
        onInput={report}
        onPaste={onPaste}
        onDrop={onDrop}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
