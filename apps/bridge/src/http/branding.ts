import type { ServerResponse } from 'node:http';
import type { LoadedConfig } from '../config/load.js';

/** Where the web app finds the logo, relative to the page (so it works under a sub-path). */
export const LOGO_PATH = '/api/branding/logo';

/**
 * `GET /api/branding`: how the web app presents itself. Unset values are null (the app's defaults);
 * `logo` is the logo's URL relative to the page, or null.
 */
export function serveBranding(res: ServerResponse, config: LoadedConfig, head: boolean): void {
  const { title, productName, accentColor, signInText } = config.branding;
  const body = JSON.stringify({
    title,
    productName,
    accentColor,
    signInText,
    logo: config.brandingLogo === null ? null : LOGO_PATH.slice(1),
  });
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-cache',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}

/**
 * `GET /api/branding/logo`: the configured file. An SVG opened on its own runs nothing: its own policy
 * forbids scripts and sandboxes it.
 */
export function serveLogo(res: ServerResponse, config: LoadedConfig, head: boolean): void {
  const logo = config.brandingLogo;
  if (logo === null) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(head ? undefined : 'No logo configured\n');
    return;
  }
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  res.writeHead(200, {
    'Content-Type': logo.contentType,
    'Cache-Control': 'no-cache',
    'Content-Length': logo.bytes.length,
  });
  res.end(head ? undefined : logo.bytes);
}
