/**
 * The lexical layer of RFC 5322 §3.2 for address fields, in one pass: atoms (RFC 6532: UTF-8 beyond
 * ASCII is atext too), quoted strings, comments (nested), domain literals and the specials that give
 * an address list its structure. Unterminated comments and literals run to the end of the value; an
 * unterminated quote is a stray character. Nothing here backtracks, so hostile input costs what its
 * length costs. Tokens are offsets into the value, not objects: 1 MiB of `<a` is a million tokens,
 * and as objects their garbage collection alone took some 20 times an ordinary header block's parse.
 */

/** What a token is; plain numbers so a million of them in an array cost no garbage collection. */
export const TokenKind = {
  /** A run of atext; an RFC 2047 encoded word is one atom even where its text holds specials. */
  Atom: 0,
  /** A quoted string; its content has the quoted pairs undone. */
  Quoted: 1,
  /** A comment; its content keeps nested parentheses. */
  Comment: 2,
  /** A domain literal (`[192.0.2.1]`). */
  Literal: 3,
  /** One of `<>@,;:.`. */
  Special: 4,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

const ATEXT = 0;
const SPACE = 1;
const SPECIAL = 2;
const QUOTE = 3;
const OPEN_COMMENT = 4;
const OPEN_LITERAL = 5;
/** The class of each ASCII character; everything from U+0080 up is atext (RFC 6532). */
const CLASS = new Uint8Array(128);
for (const char of ' \t\r\n') CLASS[char.charCodeAt(0)] = SPACE;
for (const char of '<>@,;:.') CLASS[char.charCodeAt(0)] = SPECIAL;
CLASS[0x22] = QUOTE;
CLASS[0x28] = OPEN_COMMENT;
CLASS[0x5b] = OPEN_LITERAL;

/** Bounded by the next `?`, so a failed try costs the distance to it: linear over a whole value. */
const ENCODED_WORD = /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/y;

function classOf(code: number): number {
  return code < 128 ? CLASS[code]! : ATEXT;
}

/** Reads the tokens of an (unfolded or folded) address field value one at a time. */
export class AddressTokenizer {
  /** Of the token `next` returned: where its content starts and ends (delimiters excluded). */
  contentStart = 0;
  contentEnd = 0;
  /** Whether whitespace came before the token. */
  spaceBefore = false;
  private at = 0;
  /** Set once a `"` has no closing one: no `"` follows it, so every later one is a stray too. */
  private quoteUnclosed = false;

  constructor(readonly value: string) {}

  /** The next token's kind (its place in contentStart/contentEnd), or undefined at the end. */
  next(): TokenKind | undefined {
    const value = this.value;
    this.spaceBefore = false;
    while (this.at < value.length) {
      const start = this.at;
      const kind = classOf(value.charCodeAt(start));
      if (kind === SPACE) {
        this.spaceBefore = true;
        this.at++;
      } else if (kind === SPECIAL) {
        this.at++;
        return this.token(TokenKind.Special, start, start + 1);
      } else if (kind === QUOTE && !this.quoteUnclosed) {
        const end = closing(value, start + 1, 0x22);
        if (end !== -1) {
          this.at = end + 1;
          return this.token(TokenKind.Quoted, start + 1, end);
        }
        // `"Jane <jane@x>` keeps its address: the quote is read as an atom character.
        this.quoteUnclosed = true;
      } else if (kind === OPEN_COMMENT) {
        const end = commentEnd(value, start + 1);
        this.at = Math.min(end + 1, value.length);
        return this.token(TokenKind.Comment, start + 1, end);
      } else if (kind === OPEN_LITERAL) {
        const end = closing(value, start + 1, 0x5d);
        this.at = end === -1 ? value.length : end + 1;
        return this.token(TokenKind.Literal, start + 1, end === -1 ? value.length : end);
      } else {
        this.at = this.atomEnd(start);
        return this.token(TokenKind.Atom, start, this.at);
      }
    }
    return undefined;
  }

  private token(kind: TokenKind, start: number, end: number): TokenKind {
    this.contentStart = start;
    this.contentEnd = end;
    return kind;
  }

  private atomEnd(from: number): number {
    const value = this.value;
    let i = from;
    while (i < value.length) {
      const code = value.charCodeAt(i);
      const kind = classOf(code);
      if (kind !== ATEXT && !(kind === QUOTE && this.quoteUnclosed)) break;
      if (code === 0x3d && value.charCodeAt(i + 1) === 0x3f) {
        ENCODED_WORD.lastIndex = i;
        if (ENCODED_WORD.test(value)) {
          i = ENCODED_WORD.lastIndex;
          continue;
        }
      }
      i++;
    }
    return i;
  }
}

/** The index of the `close` that ends a quoted string or literal opened before `from` (quoted pairs skipped), or -1. */
function closing(value: string, from: number, close: number): number {
  for (let i = from; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === close) return i;
    if (code === 0x5c) i++;
  }
  return -1;
}

/** The index of the `)` that ends a comment opened before `from` (nesting counted), or the value's length. */
function commentEnd(value: string, from: number): number {
  let depth = 1;
  for (let i = from; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x5c) i++;
    else if (code === 0x28) depth++;
    else if (code === 0x29 && --depth === 0) return i;
  }
  return value.length;
}

/** A quoted string's or comment's content: quoted pairs undone, unfolded line breaks dropped (§3.2.4). */
export function unescaped(value: string, start: number, end: number): string {
  let text = '';
  let segment = start;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code !== 0x5c && code !== 0x0d && code !== 0x0a) continue;
    text += value.slice(segment, i);
    if (code === 0x5c && i + 1 < end) text += value[++i];
    segment = i + 1;
  }
  return text + value.slice(segment, end);
}
