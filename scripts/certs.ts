/**
 * Certificates, made with the openssl CLI (EC P-256: fast to generate).
 *
 *   npm run certs [dir]                      development CA, server and consumer certificates (default .dev/certs)
 *   npm run certs -- issue <consumer> --ca-cert <file> --ca-key <file> [--out <dir>] [--days <n>]
 *                                            a client certificate for a named consumer (CN = consumer), from a CA
 *   npm run certs -- check <dir> [--within-days <n>]
 *                                            every certificate in <dir> (recursively) with its expiry; exit 1 when
 *                                            any expires within n days (default 30) or has expired (`--days` is
 *                                            accepted for `--within-days`)
 *
 * The development certificates are never used in production; `issue` and `check` work on any CA and
 * any folder of PEM certificates.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

function signed(dir: string, name: string, subject: string, ca: KeyPair, extensions: string, days = DAYS): KeyPair {
  newKey(dir, name);
  openssl(['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', `${name}.crt`,
      '-days', days, '-extfile', `${name}.ext`],
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
export function createClientCert(dir: string, ca: KeyPair, commonName: string, fileName = commonName, days = Number(DAYS)): KeyPair {
  return signed(dir, fileName, `/O=Person Graph Dev/OU=consumers/CN=${commonName}`, ca,
    'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n', String(days));
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

/** A consumer name is a certificate CN and a policy key: letters, digits, dot, dash, underscore. */
const CONSUMER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface IssuedCertificate extends KeyPair {
  consumer: string;
  serial: string;
  expiresAt: string;
}

/** A client certificate for `consumer` (CN = consumer) from the CA, as `<out>/<consumer>.crt|.key`. */
export function issueClientCertificate(options: { consumer: string; ca: KeyPair; outDir: string; days?: number }): IssuedCertificate {
  if (!CONSUMER_NAME.test(options.consumer)) {
    throw new Error(`consumer name "${options.consumer}" must be 1-64 letters, digits, dots, dashes or underscores`);
  }
  const days = options.days ?? 365;
  if (!Number.isInteger(days) || days < 1 || days > 825) throw new Error(`--days must be an integer between 1 and 825 (got ${days})`);
  for (const file of [options.ca.cert, options.ca.key]) {
    if (!existsSync(file)) throw new Error(`CA file ${file} does not exist`);
  }
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const pair = createClientCert(outDir, { cert: resolve(options.ca.cert), key: resolve(options.ca.key) }, options.consumer, options.consumer, days);
  const x509 = new X509Certificate(readFileSync(pair.cert));
  return { ...pair, consumer: options.consumer, serial: x509.serialNumber, expiresAt: new Date(x509.validTo).toISOString() };
}

export interface CertificateStatus {
  file: string;
  subject: string;
  commonName: string | null;
  expiresAt: string;
  daysLeft: number;
  expiringSoon: boolean;
}

/** Every PEM certificate under `dir` (.crt, .pem, .cer), with days to expiry, soonest first. */
export function checkCertificates(dir: string, withinDays: number, now: Date = new Date()): CertificateStatus[] {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`${dir} is not a folder`);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(crt|pem|cer)$/i.test(entry.name)) files.push(path);
    }
  };
  walk(root);
  const statuses: CertificateStatus[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) continue; // a key or another PEM
    const x509 = new X509Certificate(text);
    const expires = new Date(x509.validTo);
    const daysLeft = Math.floor((expires.getTime() - now.getTime()) / 86_400_000);
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(x509.subject)?.[1] ?? null;
    statuses.push({
      file,
      subject: x509.subject.replace(/\n/g, ', '),
      commonName: cn,
      expiresAt: expires.toISOString(),
      daysLeft,
      expiringSoon: daysLeft < withinDays,
    });
  }
  return statuses.sort((a, b) => a.daysLeft - b.daysLeft);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(args: string[]): number {
  const [command] = args;
  if (command === 'issue') {
    const consumer = args[1];
    const caCert = option(args, '--ca-cert');
    const caKey = option(args, '--ca-key');
    if (!consumer || consumer.startsWith('--') || !caCert || !caKey) {
      process.stderr.write('usage: npm run certs -- issue <consumer> --ca-cert <file> --ca-key <file> [--out <dir>] [--days <n>]\n');
      return 2;
    }
    const days = option(args, '--days');
    const issued = issueClientCertificate({
      consumer,
      ca: { cert: caCert, key: caKey },
      outDir: option(args, '--out') ?? '.',
      days: days === undefined ? undefined : Number(days),
    });
    process.stdout.write(`${JSON.stringify({ issued: issued.consumer, cert: issued.cert, key: issued.key, serial: issued.serial, expiresAt: issued.expiresAt })}\n`);
    return 0;
  }
  if (command === 'check') {
    const dir = args[1];
    const within = Number(option(args, '--within-days') ?? option(args, '--days') ?? '30');
    if (!dir || dir.startsWith('--') || !Number.isInteger(within) || within < 0) {
      process.stderr.write('usage: npm run certs -- check <dir> [--within-days <n>]\n');
      return 2;
    }
    const statuses = checkCertificates(dir, within);
    const expiring = statuses.filter((s) => s.expiringSoon);
    for (const s of statuses) {
      const flag = s.daysLeft < 0 ? 'EXPIRED ' : s.expiringSoon ? 'EXPIRING' : 'ok      ';
      process.stdout.write(`${flag} ${String(s.daysLeft).padStart(5)} days  ${s.expiresAt}  ${s.commonName ?? s.subject}  ${s.file}\n`);
    }
    process.stdout.write(
      `${JSON.stringify({ checked: statuses.length, withinDays: within, expiring: expiring.map((s) => ({ file: s.file, commonName: s.commonName, daysLeft: s.daysLeft, expiresAt: s.expiresAt })) })}\n`,
    );
    if (expiring.length > 0) {
      process.stderr.write(`${expiring.length} certificate(s) expire within ${within} days\n`);
      return 1;
    }
    return 0;
  }
  const dir = command ?? '.dev/certs';
  const certs = ensureDevCertificates(dir, ['dev-consumer', 'police-dev']);
  process.stdout.write(`certificates in ${certs.dir}: CA ${certs.ca.cert}, server ${certs.server.cert}, clients ${Object.keys(certs.clients).join(', ')}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`certs: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
