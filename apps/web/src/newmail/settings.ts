import type { AccountSettings } from '../mailstore/index.js';
import { newMailLimits } from './limits.js';

/** "Check for new mail", "Minutes" and "Notify me of new mail" of one account. */
export interface NewMailSettings {
  readonly check: boolean;
  readonly minutes: number;
  readonly notify: boolean;
}

/** On by default, every 5 minutes, no desktop notifications until the user asks for them. */
export const defaultNewMailSettings: NewMailSettings = {
  check: true,
  minutes: newMailLimits.defaultMinutes,
  notify: false,
};

/** The account's settings for new mail, the defaults where it has none (or no store). */
export function newMailSettingsOf(
  settings: AccountSettings | undefined,
  defaults: NewMailSettings = defaultNewMailSettings,
): NewMailSettings {
  return normalizeNewMail(settings?.newMail ?? defaults);
}

export function sameNewMail(a: NewMailSettings, b: NewMailSettings): boolean {
  return a.check === b.check && a.minutes === b.minutes && a.notify === b.notify;
}

/** Minutes brought into their limits (a whole number; empty or not a number: the default). */
export function normalizeNewMail(settings: NewMailSettings): NewMailSettings {
  const minutes = Number.isFinite(settings.minutes)
    ? Math.round(settings.minutes)
    : newMailLimits.defaultMinutes;
  return {
    check: settings.check,
    minutes: Math.min(newMailLimits.maxMinutes, Math.max(newMailLimits.minMinutes, minutes)),
    notify: settings.notify,
  };
}
