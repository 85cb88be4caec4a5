import { upgradeWithStls, type Capabilities, type TlsInfo } from '@webpop/pop3';
import type { ConnectionArgs } from '../args.js';
import { isCertificateRefusal, refusedCertificate, type CertificateDetails } from '../certificate.js';
import { openUnauthenticated, withMailbox } from '../connect.js';
import { printable } from '../format.js';
import { println, type Io } from '../io.js';

/** Greeting, TLS details and capabilities, without logging in. */
export async function capaCommand(io: Io, args: ConnectionArgs): Promise<number> {
  try {
    await capa(io, args);
  } catch (error) {
    // The certificate refused, shown as for a trusted one, so the user can decide (and pin it); the
    // error line follows on stderr, and --json puts the certificate in the error object.
    if (!args.json && isCertificateRefusal(error)) {
      const certificate = await refusedCertificate(error, args, io.signal);
      if (certificate) printRefusedCertificate(io, args, certificate);
    }
    throw error;
  }
  return 0;
}

function printRefusedCertificate(io: Io, args: ConnectionArgs, certificate: CertificateDetails): void {
  const out = io.stdout;
  println(out, `Server:       ${args.host}:${args.port}`);
  println(out, 'TLS:          certificate NOT trusted (see the error below): nothing was sent over it');
  if (certificate.subject) println(out, `  Subject:     ${printable(certificate.subject)}`);
  if (certificate.issuer)
    println(
      out,
      `  Issuer:      ${printable(certificate.issuer)}${certificate.selfSigned ? ' (self-signed)' : ''}`,
    );
  if (certificate.validFrom) println(out, `  Valid from:  ${certificate.validFrom}`);
  if (certificate.validTo) println(out, `  Valid until: ${certificate.validTo}`);
  if (certificate.fingerprint256) {
    println(out, `  SHA-256:     ${certificate.fingerprint256}`);
    println(out);
    println(
      out,
      "If this is your server's certificate (compare the SHA-256 with one you got another way, from its",
    );
    println(out, `administrator say), pin it: --fingerprint ${certificate.fingerprint256}`);
  }
}

async function capa(io: Io, args: ConnectionArgs): Promise<void> {
  await withMailbox(
    io,
    args,
    async (client) => {
      let capabilities = await client.capa();
      if (args.security === 'starttls') {
        await upgradeWithStls(client, capabilities);
        capabilities = client.capabilities ?? null;
      }
      const tls = client.tls;
      if (args.json) {
        println(
          io.stdout,
          JSON.stringify(capaJson(client.greeting.text, tls, capabilities, client.notes), null, 2),
        );
      } else {
        printCapa(io, args, client.greeting.text, tls, capabilities);
        for (const note of client.notes) println(io.stderr, `note: ${note}`);
      }
    },
    openUnauthenticated,
  );
}

function capaJson(
  greeting: string,
  tls: TlsInfo | null,
  capabilities: Capabilities | null,
  notes: readonly string[],
) {
  return {
    greeting,
    tls: tls && {
      protocol: tls.protocol,
      cipher: tls.cipher,
      authorized: tls.authorized,
      subject: tls.subject ?? null,
      issuer: tls.issuer ?? null,
      validFrom: tls.validFrom ?? null,
      validTo: tls.validTo ?? null,
      fingerprint256: tls.fingerprint256 ?? null,
    },
    capabilities: capabilities ? [...capabilities.lines] : null,
    notes,
  };
}

function printCapa(
  io: Io,
  args: ConnectionArgs,
  greeting: string,
  tls: TlsInfo | null,
  capabilities: Capabilities | null,
): void {
  const out = io.stdout;
  println(out, `Server:       ${args.host}:${args.port}`);
  println(out, `Greeting:     ${printable(greeting)}`);
  if (tls) {
    println(
      out,
      `TLS:          ${tls.protocol ?? 'unknown protocol'}, ${tls.cipher ?? 'unknown cipher'}${tls.authorized ? ', certificate verified' : ''}`,
    );
    if (tls.subject) println(out, `  Subject:     ${printable(tls.subject)}`);
    if (tls.issuer) println(out, `  Issuer:      ${printable(tls.issuer)}`);
    if (tls.validFrom) println(out, `  Valid from:  ${tls.validFrom}`);
    if (tls.validTo) println(out, `  Valid until: ${tls.validTo}`);
    if (tls.fingerprint256) println(out, `  SHA-256:     ${tls.fingerprint256}`);
  } else {
    println(out, 'TLS:          none (the connection is not encrypted)');
  }
  if (capabilities === null) {
    println(out, 'Capabilities: none (the server has no CAPA command)');
    return;
  }
  println(out, `Capabilities${args.security === 'starttls' ? ' (after STLS)' : ''}:`);
  for (const line of capabilities.lines) println(out, `  ${printable(line)}`);
}
