// The linkifier before it was made linear (quadratic on "a.a.a…"): the oracle for short inputs only.
type TextSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly href: string };

const candidates = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gi;

/** Drops punctuation a URL rarely ends with (and a closing bracket that has no opening one). */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0) {
    const char = url[end - 1]!;
    if (/[.,;:!?*'"]/.test(char)) {
      end--;
      continue;
    }
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    const opening = pairs[char];
    if (opening) {
      const body = url.slice(0, end);
      if (body.split(char).length > body.split(opening).length) {
        end--;
        continue;
      }
    }
    break;
  }
  return url.slice(0, end);
}

/**
 * Splits plain text into text and links (http, https, www. and e-mail addresses). The caller renders
 * text as text (React escapes it) and links as anchors with the given href, which is always http(s)
 * or mailto: — so nothing in a message can become markup or a script URL.
 */
export function oldLinkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(candidates)) {
    const raw = match[0];
    const start = match.index;
    const isEmail = !/^(?:https?:\/\/|www\.)/i.test(raw);
    const value = isEmail ? raw : trimUrl(raw);
    if (!isEmail && /^(?:https?:\/\/|www\.)$/i.test(value)) continue;
    let href: string;
    if (isEmail) href = `mailto:${value}`;
    else href = /^www\./i.test(value) ? `https://${value}` : value;
    try {
      const parsed = new URL(href);
      if (!['http:', 'https:', 'mailto:'].includes(parsed.protocol)) continue;
    } catch {
      continue;
    }
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: value, href });
    last = start + value.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
