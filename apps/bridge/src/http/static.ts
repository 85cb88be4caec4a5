import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { cacheControlFor } from './headers.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>webpop</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em}</style></head>
<body>
<h1>webpop</h1>
<p>The bridge is running, but the web app is not built yet.</p>
<p>Build it with <code>npx -y pnpm@10 --filter @webpop/web build</code> (it goes to <code>apps/web/dist</code>),
or point the bridge's <code>staticDir</code> setting at a built copy.</p>
</body>
</html>
`;

/**
 * Serves the built web app from `root` (`urlPath`: the request's path below the base path): GET and HEAD only, no directory listings, nothing outside the
 * root (`..`, encoded or not, and symlinks leading out are refused), `index.html` for `/` and for
 * extension-less paths (client-side routes).
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  urlPath: string = (req.url ?? '/').split(/[?#]/, 1)[0] as string,
): Promise<void> {
  const head = req.method === 'HEAD';
  const segments = decodeSegments(urlPath);
  if (!segments) return sendText(res, 400, 'Bad request', head);

  const rootReal = await realpath(root).catch(() => undefined);
  if (!rootReal) {
    if (segments.length === 0 || segments.at(-1) === 'index.html' || extname(urlPath) === '') {
      return send(res, 200, 'text/html; charset=utf-8', NOT_BUILT_PAGE, head, 'no-cache');
    }
    return sendText(res, 404, 'Not found', head);
  }

  let file = await fileInside(rootReal, segments.length === 0 ? ['index.html'] : segments);
  if (!file && extname(urlPath) === '' && !urlPath.startsWith('/assets/')) {
    file = await fileInside(rootReal, ['index.html']);
  }
  if (!file) return sendText(res, 404, 'Not found', head);

  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', new Date(file.mtimeMs).toUTCString());
  res.setHeader(
    'Cache-Control',
    file.path.endsWith(`${sep}index.html`) ? 'no-cache' : cacheControlFor(urlPath),
  );
  res.setHeader(
    'Content-Type',
    CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
  );
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304);
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Length': file.size });
  if (head) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/**
 * Splits and percent-decodes a URL path. Undefined (a bad request) for malformed escapes and for any
 * segment that could step out of the root or hide a separator: `..`, `.`, `/` or `\` after decoding, NUL.
 */
function decodeSegments(urlPath: string): string[] | undefined {
  if (!urlPath.startsWith('/')) return undefined;
  const segments: string[] = [];
  for (const raw of urlPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' && raw === '') continue;
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

/** The regular file at root/segments whose real path (symlinks followed) is still inside the root. */
async function fileInside(
  rootReal: string,
  segments: string[],
): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
  const candidate = join(rootReal, ...segments);
  const real = await realpath(candidate).catch(() => undefined);
  if (!real) return undefined;
  const inside = relative(rootReal, real);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return undefined;
  const info = await stat(real).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return { path: real, size: info.size, mtimeMs: info.mtimeMs };
}

function sendText(res: ServerResponse, status: number, text: string, head: boolean): void {
  send(res, status, 'text/plain; charset=utf-8', `${text}\n`, head, 'no-cache');
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  head: boolean,
  cacheControl: string,
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': cacheControl,
  });
  res.end(head ? undefined : body);
}
