import type { MessageKey, Params } from '../i18n/index.js';
import type { UiError } from '../session/errors.js';
import type { Slice, StoreTools } from './app-state.js';

export interface Notice {
  readonly id: number;
  readonly key: MessageKey;
  readonly params?: Params;
  /** `info` goes away by itself; `warning` and `error` stay until dismissed. */
  readonly tone: 'info' | 'warning' | 'error';
  readonly error?: UiError;
  /** More sentences (after a refresh: how many messages are gone, deletions not committed). */
  readonly extras?: ReadonlyArray<{ readonly key: MessageKey; readonly params?: Params }>;
}

export interface NoticesSlice {
  /** The one notice on screen (a newer one replaces it). */
  readonly notice: Notice | null;
  readonly actions: {
    dismissNotice(): void;
  };
}

export const createNoticesSlice: Slice<NoticesSlice> = (set) => ({
  notice: null,
  actions: {
    dismissNotice() {
      set({ notice: null });
    },
  },
});

let lastNoticeId = 0;

/** Shows a notice in place of the current one. */
export function notify(
  { set }: StoreTools,
  key: MessageKey,
  options: {
    readonly params?: Params;
    readonly tone?: Notice['tone'];
    readonly error?: UiError;
    readonly extras?: Notice['extras'];
  } = {},
): void {
  const { params, tone = 'info', error, extras } = options;
  set({
    notice: {
      id: ++lastNoticeId,
      key,
      ...(params ? { params } : {}),
      tone,
      ...(error ? { error } : {}),
      ...(extras?.length ? { extras } : {}),
    },
  });
}
