import dns from 'node:dns';

/** Resolves a host name to its addresses (in the order to try them). Injectable, so tests never need DNS. */
export type Resolver = (host: string) => Promise<string[]>;

/** The system resolver (getaddrinfo, so /etc/hosts applies), asked once per relay. */
export const systemResolver: Resolver = async (host) => {
  const results = await dns.promises.lookup(host, { all: true, verbatim: true });
  return results.map((result) => result.address);
};
