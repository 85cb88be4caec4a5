/**
 * `pnpm webpop …` in this repository. pnpm runs a script in the repository's root and says in
 * INIT_CWD where the command was typed; the paths on the command line (--out, --maildir, --mbox,
 * --ca, --config, --state, --script, --save-attachments) are the user's, relative to that folder, so
 * webpop works from there. Only this launcher does it: the installed `webpop` bin keeps its own
 * working directory (an npm script of another project runs in that project's root on purpose).
 */
const typedIn = process.env.INIT_CWD;
if (typedIn) process.chdir(typedIn);
await import('./main.js');
