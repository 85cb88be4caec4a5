// prepack: builds the web app and copies it into this package's web/, so the published bridge serves
// the webmail with no other package (`npx webpop-bridge --config bridge.json`).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const webApp = fileURLToPath(new URL('../../web/', import.meta.url));
const built = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const target = fileURLToPath(new URL('../web/', import.meta.url));

execFileSync('pnpm', ['run', 'build'], { cwd: webApp, stdio: 'inherit' });
if (!existsSync(`${built}index.html`)) throw new Error(`the web app build left no ${built}index.html`);
rmSync(target, { recursive: true, force: true });
cpSync(built, target, { recursive: true });
