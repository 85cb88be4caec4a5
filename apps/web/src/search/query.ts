import type { Folder } from '../mailstore/index.js';
import { isEmptyQuery, type IndexQuery } from './account-index.js';
import { terms } from './text.js';

export { isEmptyQuery };

/**
 * A search as typed, parsed by hand (no grammar library): free words and quoted phrases match the
 * whole message; `from:`, `to:` and `subject:` words match one field; the rest are filters.
 * Every word is folded (text.ts) and matches as a prefix. The index's part is IndexQuery.
 */
export interface SearchQuery extends IndexQuery {
  readonly folder: Folder | undefined;
  /** What could not be read, in the order typed (the rest of the query still applies). */
  readonly problems: readonly QueryProblem[];
}

export type QueryProblemKind = 'date' | 'size' | 'has' | 'is' | 'in' | 'unclosedQuote';

export interface QueryProblem {
  readonly kind: QueryProblemKind;
  /** The part of the query it is about, as typed. */
  readonly text: string;
}

/** One piece of the query: `name:value`, a bare word, or a quoted phrase (`quoted` says which). */
interface Piece {
  readonly operator: string | undefined;
  readonly value: string;
  readonly quoted: boolean;
  readonly unclosed: boolean;
  readonly raw: string;
}

const OPERATORS = new Set(['from', 'to', 'subject', 'has', 'is', 'in', 'before', 'after', 'larger']);

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/u.test(char);

/** Splits the query into pieces in one pass: whitespace separates, double quotes group. */
function pieces(input: string): Piece[] {
  const found: Piece[] = [];
  let at = 0;
  while (at < input.length) {
    while (isSpace(input[at])) at++;
    if (at >= input.length) break;
    const start = at;
    let operator: string | undefined;
    const name = /^([a-z]+):/i.exec(input.slice(at, at + 12));
    if (name && OPERATORS.has(name[1]!.toLowerCase())) {
      operator = name[1]!.toLowerCase();
      at += name[0].length;
    }
    if (input[at] === '"') {
      const close = input.indexOf('"', at + 1);
      const end = close === -1 ? input.length : close;
      found.push({
        operator,
        value: input.slice(at + 1, end),
        quoted: true,
        unclosed: close === -1,
        raw: input.slice(start, close === -1 ? end : end + 1),
      });
      at = close === -1 ? end : end + 1;
      continue;
    }
    const valueStart = at;
    while (at < input.length && !isSpace(input[at]) && input[at] !== '"') at++;
    found.push({
      operator,
      value: input.slice(valueStart, at),
      quoted: false,
      unclosed: false,
      raw: input.slice(start, at),
    });
  }
  return found;
}

/** The start (UTC) of the day named: 2024-05-31, 2024/5/31, 31.05.2024 (German), 2024-05, 2024. */
export function parseDay(text: string): number | undefined {
  let year: number,
    month = 1,
    day = 1;
  let match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
  if (match) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text)))
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})[-/](\d{1,2})$/.exec(text))) {
    [year, month] = [Number(match[1]), Number(match[2])];
  } else if ((match = /^(\d{4})$/.exec(text))) year = Number(match[1]);
  else return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const start = Date.UTC(year, month - 1, day);
  return new Date(start).getUTCDate() === day ? start : undefined;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** 500, 10k, 10KB, 2.5M, 1 GB → bytes. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:[.,]\d+)?)\s*([a-z]*)$/i.exec(text);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  return Math.round(Number(match[1]!.replace(',', '.')) * unit);
}

const FOLDERS: Record<string, Folder> = { inbox: 'inbox', archive: 'archive', trash: 'trash' };

export function parseQuery(input: string): SearchQuery {
  const words: string[] = [];
  const phrases: string[][] = [];
  const fields = { from: [] as string[], to: [] as string[], subject: [] as string[] };
  const problems: QueryProblem[] = [];
  let hasAttachment = false;
  let unread: boolean | undefined;
  let starred: boolean | undefined;
  let folder: Folder | undefined;
  let before: number | undefined;
  let after: number | undefined;
  let largerThan: number | undefined;

  for (const piece of pieces(input)) {
    if (piece.unclosed) problems.push({ kind: 'unclosedQuote', text: piece.raw });
    const value = piece.value.trim();
    const lower = value.toLowerCase();
    switch (piece.operator) {
      case undefined: {
        const found = terms(value);
        if (piece.quoted && found.length > 1) phrases.push(found);
        else words.push(...found);
        break;
      }
      case 'from':
      case 'to':
      case 'subject':
        fields[piece.operator].push(...terms(value));
        break;
      case 'has':
        if (lower === 'attachment' || lower === 'attachments') hasAttachment = true;
        else problems.push({ kind: 'has', text: piece.raw });
        break;
      case 'is':
        if (lower === 'unread') unread = true;
        else if (lower === 'read') unread = false;
        else if (lower === 'starred') starred = true;
        else if (lower === 'unstarred') starred = false;
        else problems.push({ kind: 'is', text: piece.raw });
        break;
      case 'in':
        if (lower in FOLDERS) folder = FOLDERS[lower];
        else problems.push({ kind: 'in', text: piece.raw });
        break;
      case 'before':
      case 'after': {
        const day = parseDay(value);
        if (day === undefined) problems.push({ kind: 'date', text: piece.raw });
        else if (piece.operator === 'before') before = day;
        else after = day;
        break;
      }
      case 'larger': {
        const size = parseSize(value);
        if (size === undefined) problems.push({ kind: 'size', text: piece.raw });
        else largerThan = size;
        break;
      }
    }
  }
  return {
    words,
    phrases,
    ...fields,
    hasAttachment,
    unread,
    starred,
    folder,
    before,
    after,
    largerThan,
    problems,
  };
}
