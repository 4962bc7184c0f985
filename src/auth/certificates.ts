/**
 * Certificate facts in the forms they arrive in: Node's peer certificate (direct mutual TLS) and the
 * headers a trusted proxy forwards (`subject-distinguished-name`, `cert-serial-number`,
 * `cert-expiry-date`). Pure functions.
 */

/**
 * A serial number as upper-case hex without separators or leading zeros, so `0a:1B:02`, `A1B02`
 * and the decimal `660226` all compare equal. A value made only of digits is read as decimal (the
 * form API gateways forward); one with hex letters or colons as hex. Null when it is neither.
 */
export function normaliseSerial(value: string, assume: 'auto' | 'hex' = 'auto'): string | null {
  const v = value.trim();
  if (v === '' || v.length > 200) return null;
  if (assume === 'auto' && /^[0-9]+$/.test(v)) return BigInt(v).toString(16).toUpperCase();
  const hex = v.replace(/:/g, '');
  if (!/^[0-9A-Fa-f]+$/.test(hex)) return null;
  const stripped = hex.replace(/^0+/, '').toUpperCase();
  return stripped === '' ? '0' : stripped;
}

/**
 * The single CN of a distinguished name in RFC 4514 / OpenSSL one-line form, in either order
 * (`C=GB,O=Home Office,CN=name` or `CN=name,O=...`), honouring `\,` escapes and `/`-separated
 * OpenSSL output. Null when there is no CN or more than one (ambiguous: refused).
 */
export function commonNameOf(dn: string): string | null {
  if (dn.length > 2000) return null;
  const attributes = splitDn(dn);
  const cns = attributes.filter(([type]) => type.toUpperCase() === 'CN').map(([, value]) => value);
  if (cns.length !== 1) return null;
  const cn = cns[0]!.trim();
  return cn === '' ? null : cn;
}

function splitDn(dn: string): Array<[string, string]> {
  const text = dn.trim();
  const separator = text.startsWith('/') ? '/' : null;
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      i++;
      continue;
    }
    const isSeparator = separator ? c === separator : c === ',' || c === ';' || c === '+';
    if (isSeparator) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  const out: Array<[string, string]> = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.push([part.slice(0, eq).trim(), part.slice(eq + 1)]);
  }
  return out;
}

const OPENSSL_DATE = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An expiry date as OpenSSL prints it (`Jan  1 00:00:00 2027 GMT`, Node's `valid_to`) or as an ISO
 * 8601 instant with an offset. Null when it is neither (a proxy header we cannot read is refused).
 */
export function parseCertificateDate(value: string): Date | null {
  const v = value.trim();
  const m = OPENSSL_DATE.exec(v);
  if (m) {
    const [, mon, day, hh, mm, ss, year] = m as unknown as [string, string, string, string, string, string, string];
    const month = MONTHS.indexOf(mon);
    if (month < 0) return null;
    const date = new Date(Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)));
    return Number.isNaN(date.getTime()) ? null : date;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const date = new Date(v);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `now` until `expiry` (negative once expired; 0 on the last day). */
export function daysUntil(expiry: Date, now: Date): number {
  return Math.floor((expiry.getTime() - now.getTime()) / DAY_MS);
}
