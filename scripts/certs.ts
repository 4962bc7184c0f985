/**
 * Development and test certificates, made with the openssl CLI (EC P-256: fast to generate).
 * Nothing here is used in production: real certificates come from the service's CA.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface KeyPair {
  key: string;
  cert: string;
}

const DAYS = '30';

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('openssl is needed to create development certificates (Debian: apt-get install openssl)', { cause: e });
    }
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, { cause: e });
  }
}

function newKey(dir: string, name: string): void {
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`], dir);
}

/** A certificate authority; `name` files are `<name>.crt` and `<name>.key` in `dir`. */
export function createCa(relativeDir: string, name: string, commonName: string): KeyPair {
  const dir = resolve(relativeDir);
  mkdirSync(dir, { recursive: true });
  newKey(dir, name);
  openssl(
    ['req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.crt`, '-days', DAYS, '-subj', `/O=Person Graph Dev/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  return { key: join(dir, `${name}.key`), cert: join(dir, `${name}.crt`) };
}

function signed(dir: string, name: string, subject: string, ca: KeyPair, extensions: string): KeyPair {
  newKey(dir, name);
  openssl(['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', `${name}.crt`,
      '-days', DAYS, '-extfile', `${name}.ext`],
    dir,
  );
  return { key: join(dir, `${name}.key`), cert: join(dir, `${name}.crt`) };
}

export function createServerCert(dir: string, ca: KeyPair, hosts = ['localhost', '127.0.0.1']): KeyPair {
  const san = hosts.map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  return signed(dir, 'server', '/O=Person Graph Dev/CN=localhost', ca,
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`);
}

/** A consumer's client certificate: identity = the CN. */
export function createClientCert(dir: string, ca: KeyPair, commonName: string, fileName = commonName): KeyPair {
  return signed(dir, fileName, `/O=Person Graph Dev/OU=consumers/CN=${commonName}`, ca,
    'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
}

/** A self-signed certificate (not issued by any CA) carrying the given CN. */
export function createSelfSigned(dir: string, commonName: string, fileName: string): KeyPair {
  newKey(dir, fileName);
  openssl(['req', '-x509', '-new', '-key', `${fileName}.key`, '-out', `${fileName}.crt`, '-days', DAYS,
    '-subj', `/O=Person Graph Dev/CN=${commonName}`, '-addext', 'extendedKeyUsage=clientAuth'], dir);
  return { key: join(dir, `${fileName}.key`), cert: join(dir, `${fileName}.crt`) };
}

export interface DevCertificates {
  dir: string;
  ca: KeyPair;
  server: KeyPair;
  clients: Record<string, KeyPair>;
}

/** CA, server certificate and one client certificate per consumer name; reused when already there. */
export function ensureDevCertificates(relativeDir: string, consumers: string[]): DevCertificates {
  const dir = resolve(relativeDir);
  const ca = existsSync(join(dir, 'ca.crt')) ? { key: join(dir, 'ca.key'), cert: join(dir, 'ca.crt') } : createCa(dir, 'ca', 'Person Graph Development Consumer CA');
  const server = existsSync(join(dir, 'server.crt')) ? { key: join(dir, 'server.key'), cert: join(dir, 'server.crt') } : createServerCert(dir, ca);
  const clientDir = join(dir, 'clients');
  mkdirSync(clientDir, { recursive: true });
  const clients: Record<string, KeyPair> = {};
  for (const name of consumers) {
    clients[name] = existsSync(join(clientDir, `${name}.crt`))
      ? { key: join(clientDir, `${name}.key`), cert: join(clientDir, `${name}.crt`) }
      : createClientCert(clientDir, ca, name);
  }
  return { dir, ca, server, clients };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? '.dev/certs';
  const certs = ensureDevCertificates(dir, ['dev-consumer', 'police-dev']);
  process.stdout.write(`certificates in ${certs.dir}: CA ${certs.ca.cert}, server ${certs.server.cert}, clients ${Object.keys(certs.clients).join(', ')}\n`);
}
