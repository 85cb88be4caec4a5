#!/usr/bin/env node
// webpop-bridge: runs the bridge with the configuration from --config FILE or WEBPOP_CONFIG.
import { parseArgs } from 'node:util';
import { loadEffectiveConfig, type EffectiveConfig } from './config/load.js';
import { printableConfig } from './config/print.js';
import { healthcheck } from './healthcheck.js';
import { packageVersion } from './version.js';
import { ConfigError } from './config/schema.js';
import { listenError, preflight } from './config/preflight.js';
import { stdoutSink, writeLog } from './log.js';
import { startBridge, type RunningBridge } from './server.js';

const USAGE = `Usage: webpop-bridge [--config FILE] [--check | --print-config]
       webpop-bridge healthcheck [--config FILE]

The webpop bridge: relays the browser's POP3 client (WebSocket, /pop3) to mail servers and serves
the web app. See the README for the configuration keys; every key can also be set as WEBPOP_<KEY>
(e.g. WEBPOP_LISTEN_PORT=8080, WEBPOP_SERVERS_0_HOST=pop.example.org), which wins over the file.

  --config FILE   the JSON configuration (default: $WEBPOP_CONFIG; without either, the defaults:
                  127.0.0.1:8080 and no mail servers)
  --print-config  print the effective configuration (file, WEBPOP_… variables, defaults) as JSON,
                  secrets redacted, and exit
  --version       print the version
  healthcheck     ask this configuration's bridge for /healthz: exit 0 when it answers 200, else 1
                  (for container HEALTHCHECKs; no curl needed)
  --check         validate the configuration, try the listen address and the static files, and exit
  --help          this text

SIGTERM or SIGINT: refuse new sessions, let open ones finish up to shutdownSeconds, then exit.
SIGHUP: read the configuration file again; open sessions go on (an invalid file changes nothing).
`;

async function main(): Promise<number> {
  let values: {
    config?: string;
    check?: boolean;
    help?: boolean;
    version?: boolean;
    'print-config'?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        check: { type: 'boolean' },
        'print-config': { type: 'boolean' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }));
    const unknown = positionals.find((command) => command !== 'healthcheck');
    if (unknown !== undefined || positionals.length > 1)
      throw new Error(`unknown command ${unknown ?? positionals[1]}`);
  } catch (error) {
    process.stderr.write(`webpop-bridge: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const path = values.config ?? process.env.WEBPOP_CONFIG;
  let effective: EffectiveConfig;
  try {
    effective = loadEffectiveConfig(path, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`webpop-bridge: configuration error: ${error.message}\n`);
    return 2;
  }
  const config = effective.loaded;
  if (positionals[0] === 'healthcheck') return healthcheck(config);
  if (values['print-config']) {
    process.stdout.write(printableConfig(effective));
    return 0;
  }
  if (!path && effective.sources.size === 0) {
    process.stderr.write(
      'webpop-bridge: no --config FILE, WEBPOP_CONFIG or WEBPOP_… variables; using the defaults\n',
    );
  }
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
    bridge.reload(loadEffectiveConfig(path, process.env).loaded);
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
