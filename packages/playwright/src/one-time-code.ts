import { MessageContentError } from './errors.js';
import { withoutState } from './text-pattern.js';

/**
 * What looks like a one-time code: 4 to 8 digits (`482913`), or 5 to 10 capitals and digits with at
 * least two digits and a letter (`G3H1Y2`, as Mailosaur finds them; not `HELLO`, not `AB12`).
 */
const codeCandidate = /\b(?:\d{4,8}|(?=[A-Z0-9]*[A-Z])(?=(?:[A-Z]*\d){2})[A-Z0-9]{5,10})\b/g;

/** URLs are left out when looking for codes: their ids and tokens are not codes. */
const url = /\bhttps?:\/\/[^\s<>"'`]+/gi;

interface CodeSource {
  readonly subject: string;
  readonly text: string;
  readonly from: string;
}

/**
 * Every code candidate, in the order they appear in the text (URLs left out), then in the subject,
 * without duplicates; with `pattern`, every match of it (its first capture group, or the whole match).
 */
export function findCodes(message: CodeSource, pattern?: RegExp): string[] {
  const found = new Set<string>();
  for (const source of [message.text, message.subject]) {
    if (pattern === undefined) {
      for (const match of source.replace(url, ' ').matchAll(codeCandidate)) found.add(match[0]);
    } else {
      const global = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'g');
      for (const match of source.matchAll(global)) found.add(match[1] ?? match[0]);
    }
  }
  return [...found];
}

/**
 * A one-time code: the first candidate (see findCodes), or the first match of `pattern` in the text
 * (else in the subject), its first capture group or the whole match. Throws a MessageContentError that
 * shows the text when there is none.
 */
export function findCode(message: CodeSource, pattern?: RegExp): string {
  const found =
    pattern === undefined ? findCodes(message)[0] : firstMatch([message.text, message.subject], pattern);
  if (found !== undefined) return found;
  throw new MessageContentError(
    `No code ${pattern === undefined ? '(4–8 digits, or capitals and digits like G3H1Y2)' : `matching ${String(pattern)}`} ` +
      `in the message ${JSON.stringify(message.subject)} from ${message.from || '(no From)'}. ` +
      `Its text was:\n${excerpt(message.text)}`,
  );
}

function firstMatch(sources: readonly string[], pattern: RegExp): string | undefined {
  const regex = withoutState(pattern);
  for (const source of sources) {
    const match = regex.exec(source);
    if (match) return match[1] ?? match[0];
  }
  return undefined;
}

const excerptLimit = 2_000;

export function excerpt(fullText: string): string {
  const text = fullText.trimEnd();
  if (!text.trim()) return '  (empty)';
  const cut =
    text.length > excerptLimit
      ? `${text.slice(0, excerptLimit)}\n… (${text.length - excerptLimit} more characters)`
      : text;
  return cut
    .split(/\r?\n/)
    .map((line) => `  | ${line}`)
    .join('\n');
}
