import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of a Dovecot instance's processes. Dovecot titles its children "dovecot-<instance_name>/<service>",
 * and the master's command line names our config file, so both can be found in /proc.
 * Synchronous so that it also works in a process 'exit' handler.
 */
export function instanceProcesses(instanceName: string, configFile: string): number[] {
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^[0-9]+$/.test(entry)) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.startsWith(`dovecot-${instanceName}/`) || cmdline.split('\0').includes(configFile)) {
      pids.push(Number(entry));
    }
  }
  return pids.sort((a, b) => a - b);
}

export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
