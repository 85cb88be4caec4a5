/**
 * Resolves in a task of its own, after what the page already has queued (input, rendering, the
 * WebSocket's messages): the yield between the slices of a long write to the store.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
