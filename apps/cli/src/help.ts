import type { CommandName } from './args.js';

const connection = `Connection options:
  --host HOST            the POP3 server (required)
  --port PORT            default 995 with --security tls, 110 otherwise
  --security MODE        tls (default: TLS from the first byte), starttls (plain, then STLS), none
  --ca FILE              also trust the CA certificate(s) in this PEM file
  --fingerprint SHA256   accept only the certificate with this SHA-256 fingerprint (as capa prints
                         it), whether or not a CA vouches for it (a self-signed server)
  --timeout SECONDS      give up when the server makes no progress for this long (default 30)
  --trace                print the protocol dialogue to stderr (passwords are never shown)
  --account NAME         take the options the command line leaves out from [accounts.NAME]
                         in ~/.config/webpop/config.toml (see the README's "Accounts")
  --config FILE          with --account: read this config file instead
  --json                 machine-readable output on stdout
  -h, --help             show help`;

const login = `Login options:
  --user NAME            the mailbox login name (required)
  --auth METHOD          auto (default: the strongest the server offers), user, apop, plain,
                         login, cram-md5, xoauth2, oauthbearer
  --allow-plaintext      allow sending the password readable on the wire over a connection
                         without TLS (only with --security none)
  --password-command CMD run CMD with /bin/sh and use what it prints as the password
                         (e.g. 'pass show mail/alice'); its output is never shown or logged

The password (or, for xoauth2 and oauthbearer, the access token) is printed by --password-command, or read from
the WEBPOP_PASSWORD environment variable, or from a machine entry in ~/.netrc ($NETRC), or asked
for at the terminal without echo. It is never accepted on the command line.`;

const overview = `webpop — read, list and back up a POP3 mailbox

Usage: webpop <command> [options]

Commands:
  capa                   show the server's greeting, TLS certificate and capabilities (no login)
  stat                   number of messages and their total size
  list                   one line per message: number, UIDL, size, date, from, subject
  fetch --out DIR        back up every message to DIR/<uidl>.eml (resumable; --delete to remove
                         what was saved from the server)
  show N | --uid UIDL    print message N (or the one with that UIDL): headers, text and
                         attachments (--raw: exact bytes; --save-attachments DIR)
  shell                  type POP3 commands in a signed-in session (--script FILE to run them)
  send [FILE]            send a message (an .eml, or built from --from --to --subject --body)
                         through an SMTP submission server

Run 'webpop <command> --help' for the options of a command; 'webpop --version' for the version.

${connection}

${login}

Exit codes: 0 success, 1 failure (the reason is printed on stderr), 2 wrong usage.

Example:
  WEBPOP_PASSWORD=… webpop list --host pop.example.org --user alice`;

const shell = `Usage: webpop shell --host HOST --user NAME [--script FILE|-] [options]

Signs in (TLS verified, any login method, the password never typed into the session), prints the
dialogue so far, then reads POP3 commands: STAT, LIST [n], UIDL [n], TOP n lines, RETR n, DELE n,
RSET, NOOP, CAPA, HELP, LAST, QUIT, ... Each reply is shown as the server sent it (C: and S:
lines; a RETR only its size and first 20 lines) and explained below it in '# ' lines (response
codes in words, sizes, that deletions commit only at QUIT). USER, PASS, APOP and AUTH (a login: the
session is signed in already, and a password typed here would be shown) and STLS after login are
refused with the reason; a refused line is not kept in the history.
On a terminal: line editing, history on up/down, Tab completes command names from the server's CAPA;
QUIT with messages marked asks to be typed again. Ctrl-C clears the line (or stops waiting for a
reply), Ctrl-D leaves without deleting: RSET, then QUIT. Only a QUIT you type commits deletions.

  --script FILE          run the commands in FILE (- for stdin), one a line; blank lines and lines
                         starting with # are skipped. Stops at the first -ERR or refused line with
                         exit status 1 (the session then ends with RSET and QUIT: nothing deleted).
                         Without a terminal on stdin, commands are read from stdin this way.
--json: one object per command on stdout: {command, ok, status, text, code, multiLine, bodyBytes,
lines, cut, explanation}, or {refused, why}; the notes go to stderr.

${connection}

${login}

Example:
  printf 'STAT\nLIST 1\nTOP 1 0\n' | webpop shell --host pop.example.org --user alice --script -`;

const send = `Usage: webpop send [FILE|-] --host HOST [--user NAME] [options]
       webpop send --from ADDRESS --to ADDRESS [--cc …] [--bcc …] [--subject TEXT]
                   [--body TEXT | --body-file FILE|-] [--attach FILE …] --host HOST [options]

Sends one message through an SMTP submission server (RFC 6409): TLS or STARTTLS as asked (never
skipped), AUTH when --user is given, then MAIL, RCPT and DATA (pipelined where the server offers it).
FILE (or - for stdin) is sent byte for byte, its Bcc fields removed; the recipients are --to, --cc
and --bcc if given, else the message's To, Cc and Bcc, the sender --from or else its From.
Without FILE, the message is built (MIME by nodemailer): the body from --body, --body-file, or
stdin when it is not a terminal; each --attach FILE attached under its file name.

  --from ADDRESS         the sender (From: and MAIL FROM)
  --to, --cc, --bcc ADDR a recipient (repeat the option, or give a list: 'Ann <a@x>, b@y');
                         Bcc recipients are in the envelope only, never in the message
  --subject TEXT         the subject (non-ASCII is RFC 2047 encoded)
  --body TEXT            the text of the message
  --body-file FILE       the text from FILE (- for stdin)
  --attach FILE          attach FILE (repeatable; non-ASCII names RFC 2231 encoded)
  --send-to-accepted     when the server refuses some recipients, send to the others (default:
                         send to nobody; the refused ones are listed either way)

Each recipient's outcome is printed: sent, refused (with the server's reply), held (accepted,
but not sent because another was refused) or unknown (the whole message went out and the
connection ended before the server answered: it may have been delivered). Exit 0 when every
recipient was sent to, 3 when the outcome is unknown (check before sending again), 1 otherwise.
--json: {sent, recipients: [{address, outcome, code, enhancedStatus, serverText}], code,
serverText, bytes, pipelined, exitCode} (error instead of the server's reply when nothing was sent)

--port defaults to 465 with --security tls, 587 otherwise. --auth takes auto, plain, login,
cram-md5, xoauth2 or oauthbearer. --timeout SECONDS replaces RFC 5321's timeouts (5 minutes for most replies,
10 after the message) for every wait. --account NAME takes the account's user, password and
certificate options; give --host and --port for a submission server apart from the POP3 one.

${connection}

${login}

Example:
  webpop send --host smtp.example.org --security starttls --user alice \\
    --from alice@example.org --to bob@example.org --subject 'The report' --attach report.pdf \\
    --body 'Here it is.'`;

const commands: Record<CommandName, string> = {
  shell,
  send,
  capa: `Usage: webpop capa --host HOST [options]

Connects, prints the server's greeting, the TLS details (protocol, cipher, certificate subject,
issuer, validity, SHA-256) and the CAPA lines (those offered after STLS with --security starttls),
then QUITs. Needs no login and no password. A certificate webpop does not trust is printed all the
same (then exit 1), with the --fingerprint that would pin it: check it before you do.

${connection}

Example:
  webpop capa --host pop.example.org --security starttls --port 110`,

  stat: `Usage: webpop stat --host HOST --user NAME [options]

Prints the number of messages in the mailbox and their total size.
--json: {"count": N, "size": BYTES}

${connection}

${login}

Example:
  webpop stat --host pop.example.org --user alice --json`,

  list: `Usage: webpop list --host HOST --user NAME [options]

One line per message: number, UIDL, size, date, from and subject, read from the headers only
(pipelined TOP n 0). Encoded words (RFC 2047, any charset) are decoded. On a terminal the columns
are aligned and cut to the terminal's width; otherwise the fields are separated by tabs.
What the server lacks (no UIDL, no TOP) is said on stderr.
--json: an array of {number, uid, size, date, from, subject}

${connection}

${login}

Example:
  webpop list --host pop.example.org --user alice`,

  fetch: `Usage: webpop fetch --host HOST --user NAME (--out DIR | --maildir DIR | --mbox FILE | --mda CMD)
                    [--delete | --keep-days N] [--state FILE] [--watch MINUTES] [options]

Backs up the mailbox: saves every message byte for byte as DIR/<uidl>.eml. Characters of the UIDL
outside [A-Za-z0-9._-] (and a leading dot) are written as %XX. Each saved message is recorded
(UIDL, size, SHA-256, file) in a state file kept apart from DIR. Messages whose file exists, or
that the state file records, are skipped, so an interrupted backup resumes where it stopped and
moving the saved files away does not download them again. Each file is written to a temporary
name, flushed to disk and renamed, so a file that exists is always complete. A file's
modification time is the message's Date.

  --out DIR              the folder to save to (created if missing)
  --maildir DIR          deliver into this Maildir instead (tmp/, new/, cur/ created if missing):
                         each message into new/ under a unique name, no flags set
  --mbox FILE            append to this mbox instead (mboxrd, LF line ends, created mode 600 if
                         missing), holding FILE.lock (the dotlock procmail, mutt and Dovecot take;
                         a lock older than 1024 s is stale), each append flushed and read back
  --mda CMD              pipe each message to CMD (run with /bin/sh, e.g. 'dovecot-lda -d alice' or
                         procmail), LF line ends; delivered only when CMD exits 0, else the message
                         is a failure and stays on the server (75, EX_TEMPFAIL: try again later)
  --delete               delete from the server what is safely saved: the messages saved by this
                         run (each read back and found identical to what the server sent), and
                         those an earlier run saved whose file still matches the size and SHA-256
                         recorded (and the server's size; for --mbox and --mda, the record of the
                         delivery). A file with no record is downloaded
                         again and deleted only if identical. Deletion happens at the final QUIT:
                         if the connection breaks before, the server deletes nothing, and the next
                         run deletes it. So --delete is safe to interrupt and run again.
  --keep-days N          keep what is saved on the server for N days (a whole number from 1), then
                         delete it: each run deletes what an earlier run saved more than N days
                         ago (the record's savedAt), proven saved as for --delete
  --add-headers          put Delivered-To: USER@HOST and a Received: line (from HOST by this machine
                         with POP3, the time) before each message delivered, as getmail and
                         fetchmail do; the state file records what was saved, so --delete still
                         proves each copy
  --watch MINUTES        run again every MINUTES (at least the server's LOGIN-DELAY) until SIGTERM
                         (exit 0) or Ctrl-C (130); a failed run is reported and the next one tries
                         again; a password typed at the prompt is asked once
  --state FILE           the state file (default: one per account,
                         $XDG_STATE_HOME/webpop/fetch/<user>@<host>:<port>.jsonl, %XX-encoded;
                         XDG_STATE_HOME defaults to ~/.local/state)

A progress bar (with the rate and the time left) is shown on a terminal, plain lines otherwise.
--json: a summary {saved, skipped, deleted, failed, ...}
Needs a server with UIDL (without it, resuming would be unsafe).

${connection}

${login}

Example:
  webpop fetch --host pop.example.org --user alice --out ~/mail-backup --delete`,

  show: `Usage: webpop show (N | --uid UIDL) --host HOST --user NAME [--raw | --save-attachments DIR] [options]

Downloads message N (see webpop list), or the message with that UIDL, and prints From, To, Cc,
Date and Subject, the text (or the HTML converted to text when there is no text part) and the list
of attachments.

  --uid UIDL             the message with this UIDL (as webpop list shows it; it stays the same
                         across sessions, unlike the number); an unknown UIDL is an error
  --raw                  print the message exactly as the server sent it
  --save-attachments DIR write each attachment's decoded bytes into DIR (created if missing), under
                         its name made safe (no folders, no control or invisible characters, no
                         leading dot); a name taken already gets ' (2)', ' (3)', ... before its
                         extension: no file is ever overwritten
--json: {headers, from, to, subject, date, text, html, attachments: [{filename, contentType, size,
savedAs}]}

${connection}

${login}

Examples:
  webpop show 3 --host pop.example.org --user alice
  webpop show --uid 000000016b0ef164 --host pop.example.org --user alice --save-attachments ~/Downloads`,
};

export function helpText(command?: CommandName): string {
  return command ? commands[command] : overview;
}
