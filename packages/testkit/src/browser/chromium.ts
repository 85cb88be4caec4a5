import { existsSync } from 'node:fs';

/** Where Debian and Ubuntu install Chromium. */
const systemChromiumPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags for a headless test browser: no sandbox (containers, root), no GPU, no traffic of its own. */
const quietTestFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Playwright `launchOptions` for the system's Chromium where one is installed (Playwright cannot
 * download browsers everywhere); empty where none is, so Playwright falls back to its own browser.
 */
export function systemChromiumLaunchOptions(): { executablePath?: string; args?: string[] } {
  const executablePath = systemChromiumPaths.find((path) => existsSync(path));
  return executablePath ? { executablePath, args: [...quietTestFlags] } : {};
}
