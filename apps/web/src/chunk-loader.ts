/**
 * A lazily imported chunk that can be fetched ahead (while the sign-in page is shown) and then used
 * synchronously: once it is here, callers take it directly instead of awaiting `import()` again.
 */
export interface ChunkLoader<M> {
  /** Starts (or joins) loading the chunk; a failed load lets a later call try again. */
  load(): Promise<M>;
  /** The chunk's module if it is already loaded. */
  loaded(): M | undefined;
}

export function chunkLoader<M>(importChunk: () => Promise<M>): ChunkLoader<M> {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  return {
    load() {
      loading ??= importChunk().then(
        (module) => (loaded = module),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    loaded: () => loaded,
  };
}
