#!/usr/bin/env node
// The webmail demo (`pnpm start`): the demo POP3 mailbox on loopback behind the bridge, which serves the
// web app on http://127.0.0.1:8080 (PORT to change it; WEBPOP_ORIGINS="http://localhost:5173,…" to let a
// dev server's pages in). Ctrl-C or SIGTERM stops both.
import { startWebmailDemo } from './webmail-demo.js';

const origins = process.env.WEBPOP_ORIGINS?.split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);
const demo = await startWebmailDemo({
  port: process.env.PORT ? Number(process.env.PORT) : 8080,
  ...(origins?.length ? { origins } : {}),
});
process.stderr.write(
  `webpop demo: open ${demo.bridge.url}/ and sign in to "demo" with user "demo", password "demo"\n` +
    `(demo POP3 server on ${demo.pop3.host}:${demo.pop3.port}, relay at ${demo.bridge.relayUrl};\n` +
    ` mail sent from the demo goes to a loopback SMTP sink on ${demo.smtp.host}:${demo.smtp.port} and lands in the demo mailbox)\n`,
);

let stopping = false;
const stop = (): void => {
  if (stopping) process.exit(1);
  stopping = true;
  void demo.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
