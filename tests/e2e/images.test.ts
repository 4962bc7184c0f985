/**
 * Photographs behind short-lived links (issue 18 area 9, docs/adr/0018-image-urls.md), end to end:
 * the real gateway process over mutual TLS, the real simulators, the sample policy. A link from a
 * query gives the JPEG with its content type and cache headers, and a ledger record; every refusal -
 * a person outside the consumer's filters, a consumer not granted the images or only their metadata (not
 * `ImageMetadata.url`), another consumer's
 * link, an expired, forged or re-pointed link - is the same 404. An image over the size cap is never
 * passed on.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { ImageLinks } from '../../src/auth/image-links.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { client, createSecurityCertificates, type Client } from '../../local-stack/consumer-identities.js';
import { useConsumerClients } from '../security/support/consumer-clients.js';

const people = wellKnownPeople();
const person = (key: string) => people.people.find((x) => x.key === key)!;
const LINK_KEY = 'a-test-image-link-key-that-is-long-enough-0123';
const auditDir = mkdtempSync(join(tmpdir(), 'pg-images-'));
const auditFile = join(auditDir, 'audit.jsonl');

/**
 * The sample policy, with `probation-partner` (not otherwise used here) made a consumer that may list a
 * person's photographs but not have their links: `Person.images` and the metadata, no `ImageMetadata.url`,
 * and no row filters.
 */
function writePolicy(dir: string): { file: string } {
  const policy = parseYaml(readFileSync(join(REPO_ROOT, 'policy', 'sample.yaml'), 'utf8')) as Record<string, any>;
  policy.roles['photographs-without-links'] = {
    description: 'The metadata of a person\'s photographs, not their links.',
    grants: ['Person.images', 'ImageMetadata.id', 'ImageMetadata.active', 'ImageMetadata.capturedAt'],
  };
  policy.consumers['probation-partner'] = { ...policy.consumers['probation-partner'], roles: ['person-identity', 'photographs-without-links'], filters: undefined };
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, toYaml(policy));
  return { file };
}

const stack = useGatewayStack({
  certificates: createSecurityCertificates,
  policy: writePolicy,
  env: { IMAGE_LINK_KEY: LINK_KEY, AUDIT_SINK: `file:${auditFile}`, HEALTH_CHECK_INTERVAL_MS: '3600000' },
});
const as = useConsumerClients(stack, ['prison-operator', 'police-force', 'probation-partner']);

afterAll(() => rmSync(auditDir, { recursive: true, force: true }));

const IMAGES = 'query I($id: ID!) { person(hmppsId: $id) { images { id active url urlExpiresAt } } }';
type Image = { id: string; active: boolean; url: string | null; urlExpiresAt: string | null };

async function imagesOf(c: Client, id: string): Promise<Image[]> {
  const r = await c.gql(IMAGES, { id });
  expect(r.body.errors).toBeUndefined();
  return (r.body.data?.person as { images: Image[] }).images;
}

const get = (c: Client, url: string) => c.send('', {}, url, 'GET');

/**
 * The image records in the audit file once `ready` holds of them (the ledger writes after the
 * response, so a loaded machine may not have written the last one when the response arrives).
 */
async function ledgerRecordsOnce(ready: (records: Array<Record<string, unknown>>) => boolean): Promise<Array<Record<string, unknown>>> {
  const until = Date.now() + 10_000;
  let records = ledgerRecords();
  while (!ready(records) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    records = ledgerRecords();
  }
  return records;
}

function ledgerRecords(): Array<Record<string, unknown>> {
  return readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"disclosure-ledger"'))
    .map((l) => (JSON.parse(l) as { record: Record<string, unknown> }).record)
    .filter((r) => r.operationName === 'GET /images/{id}');
}

describe('a photograph link', () => {
  it('allowed: gives the JPEG of that image to the consumer it was made for, with private cache headers, and is recorded', async () => {
    const linked = person('linked');
    const images = await imagesOf(as('prison-operator'), linked.prisonNumber!);
    expect(images.length).toBeGreaterThan(0);
    const first = images[0]!;
    expect(first.url).toMatch(new RegExp(`^/images/${first.id}\\?token=[A-Za-z0-9_-]+$`));
    // The link names nobody: no prison number or CRN in it.
    expect(first.url).not.toContain(linked.prisonNumber);
    const left = (Date.parse(first.urlExpiresAt!) - Date.now()) / 1000;
    expect(left).toBeGreaterThan(200);
    expect(left).toBeLessThanOrEqual(300);

    const r = await get(as('prison-operator'), first.url!);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/jpeg');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const cache = String(r.headers['cache-control']);
    expect(cache).toMatch(/^private, max-age=\d+$/);
    expect(Number(cache.split('=')[1])).toBeLessThanOrEqual(300);
    expect(Number(r.headers['content-length'])).toBeGreaterThan(100);
    // The simulator writes the image id into each JPEG's comment: this is that image's photograph.
    expect(r.raw).toContain(`person-graph simulator image ${first.id}`);

    const disclosures = (all: Array<Record<string, unknown>>) => all.filter((x) => x.consumer === 'prison-operator' && x.kind === 'disclosure');
    const records = disclosures(await ledgerRecordsOnce((all) => disclosures(all).length > 0));
    expect(records.at(-1)).toMatchObject({
      outcome: 'ok',
      httpStatus: 200,
      subjects: [{ hmppsId: linked.crn, disclosed: ['ImageMetadata.url'], redacted: [] }],
      accessPath: 'direct-mtls',
    });
  });

  it('refused: a person outside the consumer’s filters (a valid link sealed for them) is 404 and asks the Prison API for no bytes', async () => {
    const other = person('other-prison');
    const links = new ImageLinks(Buffer.from(LINK_KEY), 300);
    const { url } = links.linkFor('prison-operator', other.prisonNumber!, '2400080');
    await stack.sims.resetCounters();
    const r = await get(as('prison-operator'), url);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ errors: [{ message: 'No image was found at this address.', extensions: { code: 'NOT_FOUND' } }] });
    expect((await stack.sims.counters()).prisonApi?.['GET /api/images/{imageId}/data'] ?? 0).toBe(0);
  });

  it('refused: a consumer not granted the images gets 404 even for a link sealed for it, and cannot ask for links at all', async () => {
    const linked = person('linked');
    const links = new ImageLinks(Buffer.from(LINK_KEY), 300);
    const ownImage = (await imagesOf(as('prison-operator'), linked.prisonNumber!))[0]!;
    const { url } = links.linkFor('police-force', linked.prisonNumber!, ownImage.id);
    const r = await get(as('police-force'), url);
    expect(r.status).toBe(404);
    const asked = await as('police-force').gql(IMAGES, { id: linked.prisonNumber });
    expect(asked.status).toBe(403);
    expect(asked.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refused: a consumer granted Person.images but not ImageMetadata.url gets 404 for a link sealed for it, and no bytes are asked for', async () => {
    const linked = person('linked');
    // It sees the person and their photographs (so the 404 below is the missing url grant, nothing else).
    const listed = await as('probation-partner').gql('query I($id: ID!) { person(hmppsId: $id) { images { id active } } }', { id: linked.prisonNumber });
    expect(listed.body.errors).toBeUndefined();
    const images = (listed.body.data?.person as { images: Array<{ id: string }> }).images;
    expect(images.length).toBeGreaterThan(0);
    const refusedLinks = await as('probation-partner').gql(IMAGES, { id: linked.prisonNumber });
    expect([refusedLinks.status, refusedLinks.body.errors?.[0]?.extensions?.coordinates]).toEqual([403, ['ImageMetadata.url', 'ImageMetadata.urlExpiresAt']]);
    const { url } = new ImageLinks(Buffer.from(LINK_KEY), 300).linkFor('probation-partner', linked.prisonNumber!, images[0]!.id);
    await stack.sims.resetCounters();
    const r = await get(as('probation-partner'), url);
    const nonsense = await get(as('probation-partner'), `/images/${images[0]!.id}?token=${'A'.repeat(60)}`);
    expect(r.status).toBe(404);
    expect(r.raw).toBe(nonsense.raw);
    expect((await stack.sims.counters()).prisonApi?.['GET /api/images/{imageId}/data'] ?? 0).toBe(0);
  });

  it('refused: another consumer’s link is 404, byte for byte like an unknown one', async () => {
    const linked = person('linked');
    const image = (await imagesOf(as('prison-operator'), linked.prisonNumber!))[0]!;
    const stolen = await get(as('police-force'), image.url!);
    const nonsense = await get(as('police-force'), `/images/${image.id}?token=${'A'.repeat(60)}`);
    expect(stolen.status).toBe(404);
    expect(stolen.raw).toBe(nonsense.raw);
  });

  it('refused: an expired link, a forged token and a link moved to another image id are all 404', async () => {
    const linked = person('linked');
    const images = await imagesOf(as('prison-operator'), linked.prisonNumber!);
    const [a, b] = images;
    const expired = new ImageLinks(Buffer.from(LINK_KEY), 60, () => Date.now() - 120_000).linkFor('prison-operator', linked.prisonNumber!, a!.id);
    expect((await get(as('prison-operator'), expired.url)).status).toBe(404);
    const forged = new ImageLinks(Buffer.from('another-key-that-is-also-long-enough-0123456'), 300).linkFor('prison-operator', linked.prisonNumber!, a!.id);
    expect((await get(as('prison-operator'), forged.url)).status).toBe(404);
    if (b) {
      const moved = a!.url!.replace(`/images/${a!.id}?`, `/images/${b.id}?`);
      expect((await get(as('prison-operator'), moved)).status).toBe(404);
    }
    expect((await get(as('prison-operator'), `/images/${a!.id}`)).status).toBe(404);
    const refusalsOf = (all: Array<Record<string, unknown>>) => all.filter((x) => x.kind === 'refusal' && x.consumer === 'prison-operator');
    const refusals = refusalsOf(await ledgerRecordsOnce((all) => refusalsOf(all).length >= 3));
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(refusals.every((x) => x.httpStatus === 404 && (x.subjects as unknown[]).length === 0)).toBe(true);
  });

  it('an image over IMAGE_MAX_BYTES is not passed on (502 UPSTREAM_INVALID_RESPONSE); links work on every replica sharing the key', async () => {
    const small = await stack.startGateway({ IMAGE_MAX_BYTES: '200' });
    const c = client(small.consumerUrl, { ca: stack.certs.ca, identity: stack.certs.consumers['prison-operator']! });
    try {
      const image = (await imagesOf(as('prison-operator'), person('linked').prisonNumber!))[0]!;
      const r = await get(c, image.url!);
      expect(r.status).toBe(502);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_INVALID_RESPONSE');
      expect(r.raw).not.toContain('simulator image');
    } finally {
      c.close();
    }
  });
});
