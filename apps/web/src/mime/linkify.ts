import { mimeLimits } from './limits.js';

export type TextSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly href: string };

// Every pattern here runs in linear time: no quantified group can match the same text two ways, and
// e-mail addresses are found from their "@" outwards instead of by a pattern tried at every position
// (the old `[\w.+-]+@…` took 17 s on 117 KiB of "a.a.a…": quadratic backtracking).
const urlStarts = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
const isWord = (char: string | undefined) => char !== undefined && /\w/.test(char);
const isLocalChar = (char: string | undefined) => char !== undefined && /[\w.+-]/.test(char);
const isDomainChar = (char: string | undefined) => char !== undefined && /[\w.-]/.test(char);

const closing: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/**
 * Drops punctuation a URL rarely ends with (and a closing bracket that has no opening one). Counts
 * the brackets once, so a URL ending in a million ")" is still linear.
 */
function trimUrl(url: string): string {
  const count = new Map<string, number>();
  for (const char of url) if ('()[]{}'.includes(char)) count.set(char, (count.get(char) ?? 0) + 1);
  let end = url.length;
  while (end > 0) {
    const char = url[end - 1]!;
    const opening = closing[char];
    const unbalanced = opening !== undefined && (count.get(char) ?? 0) > (count.get(opening) ?? 0);
    if (!/[.,;:!?*'"]/.test(char) && !unbalanced) break;
    if (opening !== undefined) count.set(char, (count.get(char) ?? 0) - 1);
    end--;
  }
  return url.slice(0, end);
}

interface Candidate {
  readonly start: number;
  readonly text: string;
  readonly href: string;
}

function urlCandidate(raw: string, start: number): Candidate | undefined {
  const value = trimUrl(raw);
  if (/^(?:https?:\/\/|www\.)$/i.test(value)) return undefined;
  return { start, text: value, href: /^www\./i.test(value) ? `https://${value}` : value };
}

/**
 * The address around the "@" at `at`, as `\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b` would match it, or
 * undefined. `from` is where the previous match ended: the local part never reaches back past it.
 */
function emailAround(text: string, at: number, from: number): Candidate | undefined {
  let start = at;
  while (start > from && isLocalChar(text[start - 1])) start--;
  while (start < at && !isWord(text[start])) start++; // \b before the local part
  if (start === at) return undefined;
  let end = at + 1;
  while (end < text.length && isDomainChar(text[end])) end++;
  // [\w-]+(?:\.[\w-]+)+ : labels separated by single dots, the last one ending on a word character.
  let domain = text.slice(at + 1, end);
  const doubleDot = domain.indexOf('..');
  if (doubleDot >= 0) domain = domain.slice(0, doubleDot);
  domain = domain.replace(/[.-]+$/, '');
  if (domain.startsWith('.') || !domain.includes('.')) return undefined;
  const value = `${text.slice(start, at)}@${domain}`;
  return { start, text: value, href: `mailto:${value}` };
}

/**
 * Splits plain text into text and links (http, https, www. and e-mail addresses). The caller renders
 * text as text (React escapes it) and links as anchors with the given href, which is always http(s)
 * or mailto: — so nothing in a message can become markup or a script URL. After
 * mimeLimits.maxLinks links the rest is text (each link is an element to render).
 */
export function linkify(text: string, maxLinks: number = mimeLimits.maxLinks): TextSegment[] {
  const urls = [...text.matchAll(urlStarts)];
  const segments: TextSegment[] = [];
  let last = 0;
  let links = 0;
  let nextUrl = 0;
  let at = text.indexOf('@');
  const accept = (candidate: Candidate | undefined): void => {
    if (!candidate || links >= maxLinks) return;
    try {
      const parsed = new URL(candidate.href);
      if (!['http:', 'https:', 'mailto:'].includes(parsed.protocol)) return;
    } catch {
      return;
    }
    if (candidate.start > last) segments.push({ kind: 'text', text: text.slice(last, candidate.start) });
    segments.push({ kind: 'link', text: candidate.text, href: candidate.href });
    last = candidate.start + candidate.text.length;
    links++;
  };
  while (links < maxLinks && (nextUrl < urls.length || at >= 0)) {
    const url = urls[nextUrl];
    const urlStart = url?.index ?? Infinity;
    // An e-mail address that starts before the next URL (its local part may begin left of its "@").
    const email = at >= 0 && at < urlStart ? emailAround(text, at, last) : undefined;
    if (email && email.start < urlStart) {
      accept(email);
      at = text.indexOf('@', Math.max(at + 1, last));
      continue;
    }
    if (at >= 0 && at < urlStart) {
      at = text.indexOf('@', at + 1);
      continue;
    }
    nextUrl++;
    if (url && urlStart >= last) accept(urlCandidate(url[0], urlStart));
    if (at >= 0 && at < last) at = text.indexOf('@', last);
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
