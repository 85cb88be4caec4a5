#!/usr/bin/env node
// The CLI demo (`pnpm start:cli`): serves the built-in demo mailbox on loopback with testkit's POP3
// server and lists it with the `webpop` command, then keeps serving so you can try the other commands.
// Ctrl-C stops it; WEBPOP_DEMO_EXIT=1 stops it after the listing.
import { run, type Io } from 'webpop';
import { demoAccount, startPop3Server, type RunningPop3Server } from '@webpop/testkit';

const host = '127.0.0.1';
const wantedPort = Number(process.env.WEBPOP_DEMO_PORT ?? 1110);
const account = await demoAccount();

let server: RunningPop3Server;
try {
  server = await startPop3Server({ host, port: wantedPort, accounts: [account] });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  server = await startPop3Server({ host, port: 0, accounts: [account] });
}

const connection = [
  '--host',
  host,
  '--port',
  String(server.port),
  '--security',
  'none',
  '--user',
  account.username,
];
const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: { ...process.env, WEBPOP_PASSWORD: account.password },
  isTTY: { stdin: false, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
};

console.log(
  `webpop demo: POP3 server with the demo mailbox on ${host}:${server.port} (user "demo", password "demo")\n`,
);
console.log(`$ webpop list ${connection.join(' ')} --allow-plaintext\n`);
const code = await run(['list', ...connection, '--allow-plaintext'], io);
if (code !== 0) {
  await server.close();
  process.exit(code);
}

const cli = 'npx -y pnpm@10 webpop';
console.log(`
Try more against the demo server (it keeps running until Ctrl-C; the demo password is "demo"):
  WEBPOP_PASSWORD=demo ${cli} show 1 ${connection.join(' ')} --allow-plaintext
  WEBPOP_PASSWORD=demo ${cli} fetch --out backup ${connection.join(' ')} --allow-plaintext
  ${cli} capa ${connection.slice(0, 6).join(' ')}
`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
if (process.env.WEBPOP_DEMO_EXIT === '1') await stop();
