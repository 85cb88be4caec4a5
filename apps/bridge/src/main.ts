#!/usr/bin/env node
// webpop-bridge: runs the bridge with the configuration from --config FILE or WEBPOP_CONFIG.
import { parseArgs } from 'node:util';
import { loadConfig, loadConfigFile, type LoadedConfig } from './config/load.js';
import { ConfigError } from './config/schema.js';
import { listenError, preflight } from './config/preflight.js';
import { stdoutSink, writeLog } from './log.js';
import { startBridge, type RunningBridge } from './server.js';

const USAGE = `Usage: webpop-bridge [--config FILE] [--check]

The webpop bridge: relays the browser's POP3 client (WebSocket, /pop3) to mail servers and serves
the web app. See apps/bridge/README.md for the configuration keys.

  --config FILE   the JSON configuration (default: $WEBPOP_CONFIG; without either, the defaults:
                  127.0.0.1:8080 and no mail servers)
  --check         validate the configuration, try the listen address and the static files, and exit
  --help          this text

SIGTERM or SIGINT: refuse new sessions, let open ones finish up to shutdownSeconds, then exit.
SIGHUP: read the configuration file again; open sessions go on (an invalid file changes nothing).
`;

async function main(): Promise<number> {
  let values: { config?: string; check?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`webpop-bridge: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const path = values.config ?? process.env.WEBPOP_CONFIG;
  let config: LoadedConfig;
  try {
    config = path ? loadConfigFile(path) : loadConfig({});
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`webpop-bridge: configuration error: ${error.message}\n`);
    return 2;
  }
  if (!path) process.stderr.write('webpop-bridge: no --config FILE or WEBPOP_CONFIG; using the defaults\n');
  if (values.check) {
    const problems = await preflight(config);
    if (problems.length > 0) {
      for (const problem of problems) process.stderr.write(`webpop-bridge: ${problem}\n`);
      return 2;
    }
    process.stdout.write(`webpop-bridge: the configuration is valid (${config.servers.length} servers)\n`);
    return 0;
  }
  // Handlers before starting, so a SIGTERM right after the "listening" line is a graceful stop too.
  const starting = startBridge(config);
  let signalled = false;
  const onSignal = (): void => {
    if (signalled) process.exit(1); // a second signal: stop now
    signalled = true;
    void starting.then((bridge) => bridge.shutdown()).then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', () => void starting.then((bridge) => reloadFrom(path, bridge)));
  try {
    await starting;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (failure.syscall !== 'listen' && failure.code !== 'ENOTFOUND') throw error;
    process.stderr.write(`webpop-bridge: ${listenError(config.listen.host, config.listen.port, failure)}\n`);
    return 1;
  }
  return -1;
}

/** SIGHUP: the file again; an invalid one keeps the running configuration, and the log says why. */
function reloadFrom(path: string | undefined, bridge: RunningBridge): void {
  if (!path) {
    writeLog(stdoutSink, { event: 'reload_failed', error: 'no --config FILE or WEBPOP_CONFIG to reload' });
    return;
  }
  try {
    bridge.reload(loadConfigFile(path));
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String(error);
    writeLog(stdoutSink, { event: 'reload_failed', error: `${message}; the running configuration stays` });
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`webpop-bridge: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
