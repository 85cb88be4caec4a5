import type { MessageKey } from '../i18n/index.js';

/**
 * Each signed-in account's colour, shown beside its rows in All inboxes and its link in the
 * switcher. Eight hues far enough apart to tell apart in both themes; the first one no other
 * signed-in account uses is taken, unless the account has its own (Account settings → Colour).
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

/** Each colour's name in the dictionaries (Account settings' "Colour" list). */
const COLOUR_NAMES = {
  '#2f6fde': 'colour.blue',
  '#d1432f': 'colour.red',
  '#2b9a52': 'colour.green',
  '#a450c8': 'colour.purple',
  '#d98a00': 'colour.orange',
  '#158f96': 'colour.teal',
  '#c8407e': 'colour.pink',
  '#6d7a1f': 'colour.olive',
} as const satisfies Record<(typeof ACCOUNT_COLOURS)[number], MessageKey>;

export function colourName(colour: (typeof ACCOUNT_COLOURS)[number]): MessageKey {
  return COLOUR_NAMES[colour];
}

export function nextColour(taken: readonly string[]): string {
  return (
    ACCOUNT_COLOURS.find((colour) => !taken.includes(colour)) ??
    ACCOUNT_COLOURS[taken.length % ACCOUNT_COLOURS.length]!
  );
}
