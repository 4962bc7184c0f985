import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, createClientCert, createSelfSigned, ensureDevCertificates, type KeyPair } from '../../scripts/certs.js';

export interface Pem {
  key: string;
  cert: string;
}

export interface TestCertificates {
  dir: string;
  caFile: string;
  serverKeyFile: string;
  serverCertFile: string;
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

const read = (pair: KeyPair): Pem => ({ key: readFileSync(pair.key, 'utf8'), cert: readFileSync(pair.cert, 'utf8') });

/** Real certificates from openssl in a temporary folder: one consumer CA, and the impostors. */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'person-graph-certs-'));
  const dev = ensureDevCertificates(dir, ['dev-consumer', 'police-dev', 'no-policy-consumer']);
  const otherCa = createCa(join(dir, 'other'), 'other-ca', 'Some Other CA');
  return {
    dir,
    caFile: dev.ca.cert,
    serverKeyFile: dev.server.key,
    serverCertFile: dev.server.cert,
    ca: readFileSync(dev.ca.cert, 'utf8'),
    client: {
      devConsumer: read(dev.clients['dev-consumer']!),
      policeDev: read(dev.clients['police-dev']!),
      noPolicy: read(dev.clients['no-policy-consumer']!),
    },
    foreignCa: read(createClientCert(join(dir, 'other'), otherCa, 'dev-consumer')),
    selfSigned: read(createSelfSigned(join(dir, 'other'), 'dev-consumer', 'self-signed')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
