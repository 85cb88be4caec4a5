#!/usr/bin/env node
import { run } from './run.js';

// Ctrl-C: the running command stops, deletes nothing and ends the session; a second Ctrl-C quits at once.
const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});
// SIGTERM (systemd stopping the service): the same clean stop; `fetch --watch` then exits 0.
const terminate = new AbortController();
process.once('SIGTERM', () => {
  terminate.abort();
  interrupt.abort();
  process.once('SIGTERM', () => process.exit(143));
});

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: {
    stdin: process.stdin.isTTY === true,
    stdout: process.stdout.isTTY === true,
    stderr: process.stderr.isTTY === true,
  },
  signal: interrupt.signal,
  terminate: terminate.signal,
});
process.exitCode = code;
