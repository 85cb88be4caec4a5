/**
 * Each signed-in account's colour, shown beside its rows in All inboxes and its link in the
 * switcher. Eight hues far enough apart to tell apart in both themes; the first one no other
 * signed-in account uses is taken (an account remembered with a colour keeps it).
 */
export const ACCOUNT_COLOURS = [
  '#2f6fde',
  '#d1432f',
  '#2b9a52',
  '#a450c8',
  '#d98a00',
  '#158f96',
  '#c8407e',
  '#6d7a1f',
] as const;

export function nextColour(taken: readonly string[]): string {
  return (
    ACCOUNT_COLOURS.find((colour) => !taken.includes(colour)) ??
    ACCOUNT_COLOURS[taken.length % ACCOUNT_COLOURS.length]!
  );
}
