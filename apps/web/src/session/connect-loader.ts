// The POP3 engine (with the bridge's transport) is its own chunk, fetched while the sign-in page is
// shown. Once it is here, a sign-in opens its WebSocket in the submit's own task: going through
// `import()` again put the React render of "Connecting…" and a module-loader task before it — the
// WebSocket left 26–37 ms after the submit (first-row.ts trace at 50 ms RTT, load 1–2).
import { chunkLoader } from '../chunk-loader.js';

const connectChunk = chunkLoader(() => import('./connect.js'));

/** Starts (or joins) loading the engine's chunk. */
export const loadConnect = connectChunk.load;

/** The engine's module if its chunk is already loaded. */
export const loadedConnect = connectChunk.loaded;
