/**
 * What a shared-computer session leaves nowhere: the page's own traces on the device. The mail store
 * database goes when it holds no account (a shared session never writes one; another person's saved
 * mail stays), and so does the installable app's offline copy — the service worker and its Cache
 * Storage — which would otherwise outlive the tab.
 */
export interface DeviceParts {
  /** The page's open mail store, if any: its accounts, and closing it so it can be deleted. */
  readonly store: () => Promise<{ accounts(): Promise<readonly unknown[]>; close(): void } | undefined>;
  /** Forgets the page's handle to the store (the next use opens a new one). */
  readonly dropStore: () => void;
  readonly databaseName: string;
}

export async function forgetDevice(parts: DeviceParts): Promise<void> {
  await Promise.all([forgetEmptyStore(parts), forgetOfflineCopy()]);
}

async function forgetEmptyStore({ store, dropStore, databaseName }: DeviceParts): Promise<void> {
  const handle = await store();
  if (handle && (await handle.accounts()).length > 0) return;
  handle?.close();
  dropStore();
  await new Promise<void>((resolve) => {
    const request = globalThis.indexedDB?.deleteDatabase(databaseName);
    if (!request) return resolve();
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

async function forgetOfflineCopy(): Promise<void> {
  const workers = globalThis.navigator?.serviceWorker;
  if (workers) {
    const registrations = await workers.getRegistrations();
    await Promise.all(registrations.map((registration) => registration.unregister()));
  }
  // Cache Storage exists only in secure contexts (https, localhost).
  if (globalThis.caches) {
    const names = await caches.keys();
    await Promise.all(names.map((name) => caches.delete(name)));
  }
}
