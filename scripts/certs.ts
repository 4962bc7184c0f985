/**
 * Certificates, made with the openssl CLI (EC P-256: fast to generate). `npm run certs -- --help` prints the
 * usage (USAGE below; also in the README): development certificates, `issue` (key and certificate made here,
 * for development and tests), `sign` (a consumer's CSR signed with the consumer CA: the consumer's private
 * key never leaves the consumer) and `check` (expiry of every certificate in a folder).
 *
 * The development certificates are never used in production; `issue`, `sign` and `check` work on any CA and
 * any folder of PEM certificates.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandLine, intOption, usageFailure, type CommandLine } from './cli.js';

export interface KeyPair {
  key: string;
  cert: string;
}

const DAYS = '30';

/** Runs the openssl CLI; its standard output. */
function openssl(args: string[], cwd: string): string {
  try {
    return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
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


export interface SignedCertificate {
  consumer: string;
  cert: string;
  serial: string;
  expiresAt: string;
  /** What to add to the policy file for this consumer (YAML). */
  policySnippet: string;
}

/** The subject of a CSR as `[attribute, value]` pairs; throws when the CSR's own signature does not verify. */
export function csrSubject(csrFile: string): Array<[string, string]> {
  if (!existsSync(csrFile)) throw new Error(`CSR file ${csrFile} does not exist`);
  const cwd = dirname(resolve(csrFile));
  // -verify checks the request's self-signature (whoever made it holds the private key). OpenSSL 3.0 exits 0
  // either way and says which on stderr.
  const verify = spawnSync('openssl', ['req', '-in', resolve(csrFile), '-noout', '-verify'], { cwd, encoding: 'utf8' });
  if (verify.error) throw new Error(`openssl is needed to sign certificates: ${verify.error.message}`, { cause: verify.error });
  if (verify.status !== 0 || !/verify OK/.test(`${verify.stderr}${verify.stdout}`)) {
    throw new Error(`the CSR's signature does not verify (altered or damaged): ${`${verify.stderr}`.trim().split('\n')[0] ?? ''}`);
  }
  const line = openssl(['req', '-in', resolve(csrFile), '-noout', '-subject', '-nameopt', 'RFC2253'], cwd).trim();
  const rdns = line.replace(/^subject=\s*/, '');
  if (rdns === '') return [];
  return rdns.split(/(?<!\\),/).map((part) => {
    const i = part.indexOf('=');
    return [part.slice(0, i).trim(), part.slice(i + 1).trim()] as [string, string];
  });
}

/**
 * Signs a consumer's certificate signing request with the consumer CA: the consumer made its own key and
 * keeps it. The CSR must verify and carry exactly one CN, equal to `consumer` (the policy key). Extensions
 * asked for in the CSR are ignored (openssl's default): the certificate is for client authentication only.
 * Writes `<outDir>/<consumer>.crt` and refuses to overwrite one.
 */
export function signConsumerCsr(options: { csr: string; consumer: string; ca: KeyPair; outDir?: string; days?: number; roles?: string[] }): SignedCertificate {
  const { consumer } = options;
  if (!CONSUMER_NAME.test(consumer)) throw new Error(`consumer name "${consumer}" must be 1-64 letters, digits, dots, dashes or underscores`);
  const days = options.days ?? 365;
  if (!Number.isInteger(days) || days < 1 || days > 825) throw new Error(`--days must be an integer between 1 and 825 (got ${days})`);
  for (const file of [options.ca.cert, options.ca.key]) {
    if (!existsSync(file)) throw new Error(`CA file ${file} does not exist`);
  }
  const commonNames = csrSubject(options.csr).filter(([attribute]) => attribute === 'CN').map(([, value]) => value);
  if (commonNames.length !== 1) throw new Error(`the CSR must have exactly one CN (it has ${commonNames.length})`);
  if (commonNames[0] !== consumer) {
    throw new Error(`the CSR's CN is "${commonNames[0]}", not the consumer "${consumer}": ask the consumer for a CSR with CN=${consumer}`);
  }
  const outDir = resolve(options.outDir ?? '.');
  const cert = join(outDir, `${consumer}.crt`);
  if (existsSync(cert)) throw new Error(`${cert} already exists: move it away or choose another --out folder`);
  const work = mkdtempSync(join(tmpdir(), 'certs-sign-'));
  try {
    writeFileSync(join(work, 'client.ext'), 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
    // A random positive 127-bit serial: no serial file beside the CA to keep in step.
    const serial = `0x${(randomBytes(16)[0]! & 0x7f).toString(16).padStart(2, '0')}${randomBytes(15).toString('hex')}`;
    openssl(
      ['x509', '-req', '-in', resolve(options.csr), '-CA', resolve(options.ca.cert), '-CAkey', resolve(options.ca.key), '-set_serial', serial,
        '-days', String(days), '-extfile', join(work, 'client.ext'), '-out', join(work, 'client.crt')],
      work,
    );
    mkdirSync(outDir, { recursive: true });
    copyFileSync(join(work, 'client.crt'), cert);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const x509 = new X509Certificate(readFileSync(cert));
  const expiresAt = new Date(x509.validTo).toISOString();
  const roles = options.roles && options.roles.length > 0 ? options.roles.join(', ') : '<role agreed with the data owners>';
  const policySnippet = [
    `# ${consumer}: certificate serial ${x509.serialNumber}, expires ${expiresAt.slice(0, 10)}`,
    'consumers:',
    `  ${consumer}:`,
    `    roles: [${roles}]`,
    '    apiKeys:',
    '      - <hash printed by `npm run api-key -- generate`; the key itself goes to the consumer>',
    `# to revoke this certificate later: certificateRevocationList: ["${x509.serialNumber}/${consumer}"]`,
  ].join('\n');
  return { consumer, cert, serial: x509.serialNumber, expiresAt, policySnippet };
}

const USAGE = `Certificates, made with the openssl CLI (EC P-256).

usage:
  npm run certs [-- <dir>]
      development CA, server and consumer certificates in <dir> (default .dev/certs); reused when present
  npm run certs -- issue <consumer> --ca-cert <file> --ca-key <file> [--out <dir>] [--days <n>]
      a key and client certificate for a named consumer (CN = consumer), from a CA (development and tests:
      the key is made here; a real consumer sends a CSR instead, see sign)
  npm run certs -- sign --csr <file> --consumer <name> [--ca-cert <file>] [--ca-key <file>] [--out <dir>]
                        [--days <n>] [--role <role>]...
      signs a consumer's certificate signing request with the consumer CA (default .dev/certs/ca.crt and
      ca.key); the CSR's CN must be the consumer name. Writes <out>/<name>.crt (default out: .), prints the
      serial, the expiry and the policy entry to add. --days 1-825, default 365
  npm run certs -- check <dir> [--within-days <n>]
      every certificate in <dir> (recursively) with its expiry; exit 1 when any expires within n days
      (default 30) or has expired (--days is accepted for --within-days)

options:
  -h, --help    this text; nothing is created

exit codes: 0 done, 1 failed (or, for check, a certificate expires soon), 2 usage error`;

const CLI: Omit<CommandLine, 'options'> = { command: 'npm run certs', usage: USAGE };

const SUBCOMMANDS: Record<string, CommandLine> = {
  issue: { ...CLI, maxPositionals: 1, options: { 'ca-cert': { type: 'string' }, 'ca-key': { type: 'string' }, out: { type: 'string' }, days: { type: 'string' } } },
  sign: {
    ...CLI,
    options: {
      csr: { type: 'string' }, consumer: { type: 'string' }, 'ca-cert': { type: 'string' }, 'ca-key': { type: 'string' },
      out: { type: 'string' }, days: { type: 'string' }, role: { type: 'string', multiple: true },
    },
  },
  check: { ...CLI, maxPositionals: 1, options: { 'within-days': { type: 'string' }, days: { type: 'string' } } },
};

function main(argv: string[]): number {
  const sub = argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0]) ? argv[0] : null;
  const { values, positionals } = commandLine(sub ? argv.slice(1) : argv, sub ? SUBCOMMANDS[sub]! : { ...CLI, options: {}, maxPositionals: 1 });
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (sub === 'issue') {
    const [consumer] = positionals;
    const caCert = str('ca-cert');
    const caKey = str('ca-key');
    if (!consumer || !caCert || !caKey) usageFailure(CLI, 'issue needs <consumer>, --ca-cert and --ca-key');
    const issued = issueClientCertificate({ consumer, ca: { cert: caCert, key: caKey }, outDir: str('out') ?? '.', days: intOption(CLI, 'days', values.days, 1, 825) });
    process.stdout.write(`${JSON.stringify({ issued: issued.consumer, cert: issued.cert, key: issued.key, serial: issued.serial, expiresAt: issued.expiresAt })}\n`);
    return 0;
  }
  if (sub === 'sign') {
    const csr = str('csr');
    const consumer = str('consumer');
    if (!csr || !consumer) usageFailure(CLI, 'sign needs --csr and --consumer');
    const signed = signConsumerCsr({
      csr,
      consumer,
      ca: { cert: str('ca-cert') ?? '.dev/certs/ca.crt', key: str('ca-key') ?? '.dev/certs/ca.key' },
      outDir: str('out'),
      days: intOption(CLI, 'days', values.days, 1, 825),
      roles: (values.role as unknown as string[] | undefined) ?? [],
    });
    process.stdout.write(
      [
        `signed ${signed.cert} for consumer ${signed.consumer}`,
        `  serial:  ${signed.serial}`,
        `  expires: ${signed.expiresAt}`,
        '',
        'Send the certificate (not secret) back to the consumer. Add to the policy file:',
        '',
        signed.policySnippet,
        '',
      ].join('\n'),
    );
    return 0;
  }
  if (sub === 'check') {
    const [dir] = positionals;
    if (!dir) usageFailure(CLI, 'check needs <dir>');
    const within = intOption(CLI, 'within-days', values['within-days'] ?? values.days, 0, 100_000) ?? 30;
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
  const dir = positionals[0] ?? '.dev/certs';
  const certs = ensureDevCertificates(dir, ['dev-consumer', 'police-dev']);
  process.stdout.write(`certificates in ${certs.dir}: CA ${certs.ca.cert}, server ${certs.server.cert}, clients ${Object.keys(certs.clients).join(', ')}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`certs: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
