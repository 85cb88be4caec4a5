import type { AccountSettings, KeepOnDevice, ServerCopyPolicy } from './types.js';

/** The limits of the settings' number fields, in one place. */
export const settingsLimits = {
  minDays: 1,
  maxDays: 3650,
  minKb: 1,
  maxKb: 1_048_576,
} as const;

/**
 * A new account keeps every server copy (nothing is removed until the user chooses a policy) and
 * saves messages up to 512 KB in full — most mail, without attachments of any size.
 */
export const defaultAccountSettings: AccountSettings = {
  serverCopy: { kind: 'keep' },
  keepOnDevice: { kind: 'upTo', kb: 512 },
  evictionAcknowledged: false,
};

/** Whether a message of `size` bytes is downloaded in full under the rule. */
export function keepsInFull(rule: KeepOnDevice, size: number): boolean {
  switch (rule.kind) {
    case 'headers':
      return false;
    case 'upTo':
      return size <= rule.kb * 1024;
    case 'everything':
      return true;
  }
}

/** Whether the policy ever removes a server copy on its own. */
export function removesServerCopies(policy: ServerCopyPolicy): boolean {
  return policy.kind !== 'keep';
}

function clampInteger(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(Number.isFinite(value) ? value : min)));
}

/** Settings from a form or an old record, with numbers brought into their limits. */
export function normalizeSettings(settings: AccountSettings): AccountSettings {
  const { serverCopy, keepOnDevice } = settings;
  return {
    serverCopy:
      serverCopy.kind === 'afterDays'
        ? {
            kind: 'afterDays',
            days: clampInteger(serverCopy.days, settingsLimits.minDays, settingsLimits.maxDays),
          }
        : serverCopy,
    keepOnDevice:
      keepOnDevice.kind === 'upTo'
        ? { kind: 'upTo', kb: clampInteger(keepOnDevice.kb, settingsLimits.minKb, settingsLimits.maxKb) }
        : keepOnDevice,
    evictionAcknowledged: settings.evictionAcknowledged,
  };
}
