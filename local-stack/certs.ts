import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, createClientCert, createSelfSigned, ensureDevCertificates, type DevCertificates, type KeyPair } from '../scripts/certs.js';

export interface Pem {
  key: string;
  cert: string;
  /** The consumer's API key (sent as x-api-key by postGraphQL), when it has one. */
  apiKey?: string;
}

/** The well-known development API keys whose hashes are in policy/development.yaml (not secrets). */
export const DEV_API_KEYS = {
  'dev-consumer': 'dev-consumer-development-api-key-not-a-secret',
  'police-dev': 'police-dev-development-api-key-not-a-secret',
} as const;

/** What a gateway needs of a certificate set: its server key pair and the consumer CA, as files. */
export interface ServerCertificateFiles {
  caFile: string;
  serverKeyFile: string;
  serverCertFile: string;
}

export interface TestCertificates extends ServerCertificateFiles {
  dir: string;
  /** PEM of the consumer CA, which also signed the server certificate. */
  ca: string;
  /** Issued by the consumer CA. */
  client: Record<'devConsumer' | 'policeDev' | 'noPolicy', Pem>;
  /** Issued by another CA, with a CN the policy knows. */
  foreignCa: Pem;
  /** Self-signed, with a CN the policy knows. */
  selfSigned: Pem;
  remove(): void;
}

/** The server side of a development certificate set: the files a gateway loads, and the CA's PEM for clients. */
export function serverCertificates(dev: DevCertificates): ServerCertificateFiles & { ca: string } {
  return { caFile: dev.ca.cert, serverKeyFile: dev.server.key, serverCertFile: dev.server.cert, ca: readFileSync(dev.ca.cert, 'utf8') };
}

const read = (pair: KeyPair): Pem => ({ key: readFileSync(pair.key, 'utf8'), cert: readFileSync(pair.cert, 'utf8') });

/** Real certificates from openssl in a temporary folder: one consumer CA, and the impostors. */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'person-graph-certs-'));
  const dev = ensureDevCertificates(dir, ['dev-consumer', 'police-dev', 'no-policy-consumer']);
  const otherCa = createCa(join(dir, 'other'), 'other-ca', 'Some Other CA');
  return {
    dir,
    ...serverCertificates(dev),
    client: {
      devConsumer: { ...read(dev.clients['dev-consumer']!), apiKey: DEV_API_KEYS['dev-consumer'] },
      policeDev: { ...read(dev.clients['police-dev']!), apiKey: DEV_API_KEYS['police-dev'] },
      noPolicy: read(dev.clients['no-policy-consumer']!),
    },
    foreignCa: read(createClientCert(join(dir, 'other'), otherCa, 'dev-consumer')),
    selfSigned: read(createSelfSigned(join(dir, 'other'), 'dev-consumer', 'self-signed')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
