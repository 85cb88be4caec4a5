// A loopback web server that records every request it gets: hostile mail points all its remote
// content here, so a test can tell exactly what left the page (paths under /img/ are images, which
// "Show images" may load; /leak/ and /script/ must never be requested).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Tripwire {
  readonly origin: string;
  /** Request paths in the order they arrived. */
  readonly hits: readonly string[];
  /** Forgets the hits so far. */
  reset(): void;
  close(): Promise<void>;
}

const onePixelPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export async function startTripwire(): Promise<Tripwire> {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    hits.push(request.url ?? '');
    if (request.url?.startsWith('/img/')) {
      response.setHeader('content-type', 'image/png');
      response.end(onePixelPng);
    } else {
      response.setHeader('content-type', 'text/html');
      response.end('<script>parent.postMessage("pwned:tripwire", "*")</script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    reset: () => void hits.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
