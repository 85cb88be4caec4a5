import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';

export interface SystemAccount {
  name: string;
  uid: number;
  gid: number;
  /** Name of the primary group. */
  group: string;
}

/** Looks up a user in /etc/passwd (and its primary group's name in /etc/group). */
export async function systemAccount(name: string): Promise<SystemAccount> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const fields = passwd
    .split('\n')
    .map((line) => line.split(':'))
    .find((entry) => entry[0] === name);
  if (!fields) throw new Error(`user ${name} not found in /etc/passwd`);
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  return { name, uid, gid, group: await groupName(gid) };
}

/** The user this process runs as. */
export async function currentAccount(): Promise<SystemAccount> {
  const info = userInfo();
  return { name: info.username, uid: info.uid, gid: info.gid, group: await groupName(info.gid) };
}

async function groupName(gid: number): Promise<string> {
  const groups = await readFile('/etc/group', 'utf8').catch(() => '');
  const entry = groups
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => Number(fields[2]) === gid && fields[0]);
  if (!entry?.[0]) throw new Error(`group ${gid} not found in /etc/group`);
  return entry[0];
}
