/**
 * The sample policy's consumers as a client sees them: certificates for each (and the impostors: another CA,
 * expired, about to expire, the trusted proxy, revoked), their API keys, and an HTTPS GraphQL client that keeps
 * connections alive per identity (the leak matrix sends thousands of requests). For the tests and the bench
 * (`bench/side-channels.ts`) alike: nothing here knows about jest.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpsExchange, type GraphQLResult } from './https.js';
import { serverCertificates } from './certs.js';
import { createCa, createClientCert, ensureDevCertificates, type KeyPair } from '../scripts/certs.js';

export const SAMPLE_CONSUMERS = ['prison-operator', 'police-force', 'probation-partner', 'schema-explorer', 'suspended-supplier'] as const;
export type SampleConsumer = (typeof SAMPLE_CONSUMERS)[number];

/** The test-only keys whose hashes are in policy/sample.yaml. */
export const sampleApiKey = (consumer: string) => `${consumer}-sample-api-key-for-tests-only`;

export interface Identity {
  key: string;
  cert: string;
  /** Serial number as openssl prints it (hex). */
  serial: string;
  apiKey?: string;
}

export interface SecurityCertificates {
  dir: string;
  caFile: string;
  serverKeyFile: string;
  serverCertFile: string;
  ca: string;
  consumers: Record<string, Identity>;
  /** Same CN as a real consumer, issued by another CA. */
  foreignCa: Identity;
  /** Issued by the consumer CA, valid from 2020-01-01 to 2020-01-02. */
  expired: Identity;
  /** Issued by the consumer CA, expiring in 5 days. */
  expiringSoon: Identity;
  /** The trusted proxy's own client certificate (CN api-gateway). */
  proxy: Identity;
  /** Second certificates for police-force and prison-operator, to be put on the revocation list. */
  revoked: { policeForce: Identity; prisonOperator: Identity };
  remove(): void;
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

function identity(pair: KeyPair, apiKey?: string): Identity {
  const serial = openssl(['x509', '-in', pair.cert, '-noout', '-serial'], '/').trim().replace(/^serial=/, '');
  return { key: readFileSync(pair.key, 'utf8'), cert: readFileSync(pair.cert, 'utf8'), serial, apiKey };
}

/** A client certificate with explicit validity dates (`openssl ca`, since `x509 -req` cannot backdate). */
function datedClientCert(dir: string, ca: KeyPair, commonName: string, startDate: string, endDate: string): KeyPair {
  const caDir = join(dir, 'dated-ca');
  mkdirSync(caDir, { recursive: true });
  writeFileSync(join(caDir, 'index.txt'), '');
  writeFileSync(join(caDir, 'serial'), `${Date.now().toString(16).padStart(16, '0').toUpperCase()}\n`);
  writeFileSync(
    join(caDir, 'ca.cnf'),
    [
      '[ ca ]', 'default_ca = dated', '[ dated ]', `dir = ${caDir}`, `database = ${caDir}/index.txt`, `new_certs_dir = ${caDir}`,
      `serial = ${caDir}/serial`, 'default_md = sha256', 'policy = any', 'unique_subject = no', 'copy_extensions = none',
      '[ any ]', 'commonName = supplied', 'organizationName = optional', 'organizationalUnitName = optional',
      '[ client ]', 'extendedKeyUsage = clientAuth', 'keyUsage = critical,digitalSignature', '',
    ].join('\n'),
  );
  const name = `dated-${commonName}-${endDate}`;
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`], caDir);
  openssl(['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=Person Graph Dev/OU=consumers/CN=${commonName}`], caDir);
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', ca.cert, '-keyfile', ca.key, '-in', `${name}.csr`, '-out', `${name}.crt`,
    '-startdate', startDate, '-enddate', endDate, '-extensions', 'client', '-notext'], caDir);
  return { key: join(caDir, `${name}.key`), cert: join(caDir, `${name}.crt`) };
}

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

/**
 * The security tests' certificates: one per sample consumer (with its sample API key), the trusted proxy's,
 * an unknown consumer's, and one per `extra` consumer a test's own policy names (with the API key
 * `sampleApiKey(name)`, whose hash the test puts in its policy).
 */
export function createSecurityCertificates(extra: readonly string[] = []): SecurityCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'person-graph-security-'));
  const names = [...SAMPLE_CONSUMERS, 'api-gateway', 'unknown-consumer', ...extra];
  const dev = ensureDevCertificates(dir, names);
  const consumers: Record<string, Identity> = {};
  const keyed = (name: string) => SAMPLE_CONSUMERS.includes(name as SampleConsumer) || extra.includes(name);
  for (const name of names) consumers[name] = identity(dev.clients[name]!, keyed(name) ? sampleApiKey(name) : undefined);
  const otherCa = createCa(join(dir, 'other'), 'other-ca', 'Some Other CA');
  const now = new Date();
  mkdirSync(join(dir, 'revoked'), { recursive: true });
  return {
    dir,
    ...serverCertificates(dev),
    consumers,
    foreignCa: identity(createClientCert(join(dir, 'other'), otherCa, 'police-force'), sampleApiKey('police-force')),
    expired: identity(datedClientCert(dir, dev.ca, 'police-force', '20200101000000Z', '20200102000000Z'), sampleApiKey('police-force')),
    expiringSoon: identity(
      datedClientCert(dir, dev.ca, 'probation-partner', stamp(new Date(now.getTime() - 86_400_000)), stamp(new Date(now.getTime() + 5 * 86_400_000 + 3_600_000))),
      sampleApiKey('probation-partner'),
    ),
    proxy: consumers['api-gateway']!,
    revoked: {
      policeForce: identity(createClientCert(join(dir, 'revoked'), dev.ca, 'police-force', 'police-force-2'), sampleApiKey('police-force')),
      prisonOperator: identity(createClientCert(join(dir, 'revoked'), dev.ca, 'prison-operator', 'prison-operator-2'), sampleApiKey('prison-operator')),
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Response = GraphQLResult;

export interface ClientOptions {
  ca: string;
  identity?: { key: string; cert: string; apiKey?: string };
  /** A fresh connection (and TLS handshake) per request; otherwise connections are kept alive. */
  fresh?: boolean;
}

/** A GraphQL client for one identity. */
export function client(baseUrl: string, options: ClientOptions) {
  const agent = options.fresh ? false : new Agent({ keepAlive: true, maxSockets: 4, ca: options.ca, key: options.identity?.key, cert: options.identity?.cert });
  const tls = { ca: options.ca, ...options.identity };
  const send = (body: string | Buffer, headers: Record<string, string> = {}, path = '/graphql', method = 'POST'): Promise<Response> =>
    httpsExchange(`${baseUrl}${path}`, { method, agent, tls, headers, body });
  return {
    send,
    gql: (query: string, variables?: Record<string, unknown>, operationName?: string, headers?: Record<string, string>) =>
      send(JSON.stringify({ query, variables, operationName }), headers),
    close: () => {
      if (agent) agent.destroy();
    },
  };
}

export type Client = ReturnType<typeof client>;
