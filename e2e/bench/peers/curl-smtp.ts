import { spawn } from 'node:child_process';

/**
 * `curl smtp://host:port` with STARTTLS required (`--ssl-reqd`), AUTH, one message from `file`: the
 * whole session. The credentials go through a config file on stdin, not the command line. Returns
 * the seconds curl measured.
 */
export async function curlSmtp(
  curl: string,
  target: { host: string; port: number; caFile: string },
  login: { username: string; password: string },
  envelope: { from: string; to: string },
  file: string,
): Promise<number> {
  const child = spawn(
    curl,
    ['--silent', '--show-error', '--config', '-', '--output', '/dev/null', '--write-out', '%{time_total}'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const quote = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;
  child.stdin.end(
    [
      `url = ${quote(`smtp://${target.host}:${target.port}`)}`,
      'ssl-reqd',
      `cacert = ${quote(target.caFile)}`,
      `user = ${quote(`${login.username}:${login.password}`)}`,
      `mail-from = ${quote(envelope.from)}`,
      `mail-rcpt = ${quote(envelope.to)}`,
      `upload-file = ${quote(file)}`,
      '',
    ].join('\n'),
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`curl exited with ${code}: ${stderr.trim()}`);
  return Number(stdout.trim());
}
