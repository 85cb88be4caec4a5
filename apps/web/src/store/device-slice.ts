import type { AccountSettings, StoredAccount, Usage } from '../mailstore/index.js';
import { normalizeSettings } from '../mailstore/index.js';
import type { Runtime, Slice, StoreTools } from './app-state.js';
import { downloadInBackground } from './downloads.js';

/** What the browser offers of its storage API (navigator.storage; tests pass their own). */
export interface StorageAccess {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persisted(): Promise<boolean>;
  persist(): Promise<boolean>;
}

/**
 * The background download of the open account, as the user sees it. `saved` of `total`: messages the
 * "Keep on this device" rule wants in full that are here; `larger`: those over "Messages up to N KB"
 * ("Download the rest" takes them too). `stopped` keeps why: the quota, or a failure of the store.
 */
export type DownloadState =
  | { readonly phase: 'idle' }
  | {
      readonly phase: 'running' | 'done';
      readonly saved: number;
      readonly total: number;
      readonly larger: number;
    }
  | {
      readonly phase: 'stopped';
      readonly reason: 'quota' | 'failed';
      readonly saved: number;
      readonly total: number;
      readonly larger: number;
    };

/** `granted`: the browser will not evict the store on its own; `denied`: it may, under pressure. */
export type Persistence = 'unknown' | 'granted' | 'denied' | 'unsupported';

/** What the server-copy policy did in this session. */
export interface ServerCopyState {
  /** Server copies marked with DELE by the policy: removed by this session's QUIT. */
  readonly marked: number;
  /** Copies the policy would remove but may not: storage is not persistent and eviction not acknowledged. */
  readonly heldForPersistence: number;
}

export interface DeviceState {
  /** The open account as stored on this device (undefined without a store). */
  readonly account: StoredAccount | undefined;
  readonly download: DownloadState;
  /** Bytes and messages stored for the account. */
  readonly usage: Usage | undefined;
  /** navigator.storage.estimate(): the whole origin. */
  readonly estimate: { readonly usage: number; readonly quota: number } | undefined;
  readonly persistence: Persistence;
  readonly serverCopy: ServerCopyState;
}

export interface DeviceSlice {
  readonly device: DeviceState;
  readonly actions: {
    /** Saves the account's settings; a wider "Keep on this device" starts downloading what it adds. */
    saveAccountSettings(settings: AccountSettings): Promise<void>;
    /** navigator.storage.persist(): asks the browser not to evict the store. */
    requestPersistence(): Promise<void>;
    /** Reads usage, estimate and persistence again. */
    refreshStorage(): Promise<void>;
    /** Downloads the messages larger than "Messages up to N KB" too, this once. */
    downloadRest(): Promise<void>;
  };
}

export const initialDevice: DeviceState = {
  account: undefined,
  download: { phase: 'idle' },
  usage: undefined,
  estimate: undefined,
  persistence: 'unknown',
  serverCopy: { marked: 0, heldForPersistence: 0 },
};

export function createDeviceSlice(runtime: Runtime): Slice<DeviceSlice> {
  return (set, get) => {
    const tools = { set, get };
    return {
      device: initialDevice,
      actions: {
        async saveAccountSettings(settings) {
          const store = await runtime.mailStore;
          const account = get().device.account;
          if (!store || !account) return;
          const normalized = normalizeSettings(settings);
          await store.saveSettings(account.key, normalized);
          changeDevice(tools, { account: { ...account, settings: normalized } });
          const session = runtime.session;
          if (session && !session.signal.aborted && get().session.kind === 'open') {
            void downloadInBackground(tools, runtime, session, { includeLarger: false });
          }
        },

        async requestPersistence() {
          const storage = runtime.deps.storage;
          if (!storage) return;
          const granted = await storage.persist().catch(() => false);
          changeDevice(tools, { persistence: granted ? 'granted' : 'denied' });
        },

        refreshStorage: () => refreshStorage(tools, runtime),

        async downloadRest() {
          const session = runtime.session;
          if (!session || session.signal.aborted || get().session.kind !== 'open') return;
          await downloadInBackground(tools, runtime, session, { includeLarger: true });
        },
      },
    };
  };
}

export function changeDevice({ set, get }: StoreTools, change: Partial<DeviceState>): void {
  set({ device: { ...get().device, ...change } });
}

/** Usage of the account, the origin's estimate and whether storage is persistent. */
export async function refreshStorage(tools: StoreTools, runtime: Runtime): Promise<void> {
  const store = await runtime.mailStore;
  const key = tools.get().device.account?.key;
  const storage = runtime.deps.storage;
  const [usage, estimate, persisted] = await Promise.all([
    store && key ? store.usage(key).catch(() => undefined) : undefined,
    storage?.estimate().catch(() => undefined),
    storage?.persisted().catch(() => undefined),
  ]);
  changeDevice(tools, {
    usage,
    estimate:
      estimate && estimate.quota !== undefined
        ? { usage: estimate.usage ?? 0, quota: estimate.quota }
        : undefined,
    persistence:
      persisted === undefined ? (storage ? 'unknown' : 'unsupported') : persisted ? 'granted' : 'denied',
  });
}
