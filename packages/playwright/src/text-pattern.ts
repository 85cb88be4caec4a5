/** A string matches as a case-insensitive substring; a RegExp as it is (its `g`/`y` flags are ignored). */
export type TextPattern = string | RegExp;

export function matchesText(value: string, pattern: TextPattern): boolean {
  if (typeof pattern === 'string') return value.toLowerCase().includes(pattern.toLowerCase());
  return withoutState(pattern).test(value);
}

/** The same RegExp without `g` and `y`, so `test`/`exec` do not depend on (or change) `lastIndex`. */
export function withoutState(pattern: RegExp): RegExp {
  return pattern.global || pattern.sticky
    ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    : pattern;
}

/** `containing "abc"` or `matching /abc/i`, for messages. */
export function describePattern(pattern: TextPattern): string {
  return typeof pattern === 'string'
    ? `containing ${JSON.stringify(pattern)}`
    : `matching ${String(pattern)}`;
}
