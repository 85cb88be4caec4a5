import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `curl pop3://host:port/1` into a file: the whole session (connect, login, RETR 1, QUIT). The
 * credentials go through a config file on stdin, not the command line. Returns the bytes written and
 * the seconds curl measured (its size_download counts protocol bytes, not the message).
 */
export async function curlRetr(
  curl: string,
  target: { host: string; port: number },
  username: string,
  password: string,
): Promise<{ bytes: number; seconds: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'webpop-bench-curl-'));
  const output = join(dir, 'message.eml');
  const child = spawn(
    curl,
    ['--silent', '--show-error', '--config', '-', '--output', output, '--write-out', '%{time_total}'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const quote = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;
  child.stdin.end(
    `url = ${quote(`pop3://${target.host}:${target.port}/1`)}\nuser = ${quote(`${username}:${password}`)}\n`,
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (code !== 0) throw new Error(`curl exited with ${code}: ${stderr.trim()}`);
    return { bytes: (await stat(output)).size, seconds: Number(stdout.trim()) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
