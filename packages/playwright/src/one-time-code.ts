import { MessageContentError } from './errors.js';
import { withoutState } from './text-pattern.js';

const defaultCodePattern = /\b(\d{4,8})\b/;

/**
 * The first match of `pattern` in the text, or else in the subject: its first capture group, or the
 * whole match when the group is absent. Throws a MessageContentError that shows the text when neither
 * has one.
 */
export function findCode(
  message: { readonly subject: string; readonly text: string; readonly from: string },
  pattern: RegExp = defaultCodePattern,
): string {
  const regex = withoutState(pattern);
  for (const source of [message.text, message.subject]) {
    const match = regex.exec(source);
    if (match) return match[1] ?? match[0];
  }
  throw new MessageContentError(
    `No code matching ${String(pattern)} in the message ${JSON.stringify(message.subject)} from ` +
      `${message.from || '(no From)'}. Its text was:\n${excerpt(message.text)}`,
  );
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
