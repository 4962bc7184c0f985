/**
 * `npm run bench:side-channels [-- --rounds 30] [--latency-ms 20] [--warmup 5]` (or `npm run bench -- --side-channels ...`)
 *
 * Response time as an oracle (issue 14): does a person the consumer may not see answer in the same
 * time as an id nobody holds? Real gateway process over HTTPS with client certificates, the sample
 * policy (policy/sample.yaml), the simulators answering every upstream call after a fixed latency.
 * For each case the filtered and the unknown request alternate (so drift hits both alike), one at a
 * time, after a warm-up; reported: the median and p90 of each, their difference, and whether the
 * bodies were byte-identical. Target: medians within 2 ms. Writes bench/results/<stamp>-side-channels.{json,md}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { client, createSecurityCertificates } from '../local-stack/consumer-identities.js';
import { gatewayEnv, startGatewayProcess } from '../local-stack/gateway.js';
import { REPO_ROOT, startSimulators, wellKnownPeople } from '../local-stack/simulators.js';
import { DEFAULT_SEED, Population } from '../simulators/lib/population.js';
import { benchCommandLine } from './lib.js';

const POPULATION = 2000;

const usage = (command: string) => `Response time as an oracle (issue 14): a person the consumer may not see against an id nobody holds,
the two alternating one at a time; writes bench/results/<stamp>-side-channels.{json,md}.

usage: ${command}${command.endsWith('--side-channels') ? '' : ' --'} [--rounds N] [--latency-ms N] [--warmup N]

  --rounds N      measured pairs per case (default 30)
  --latency-ms N  the simulators' fixed upstream latency (default 20)
  --warmup N      unmeasured pairs per case first (default 5)`;
const say = (line: string) => process.stdout.write(`${line}\n`);

const PERSON = 'query P($id: ID!) { person(hmppsId: $id) { hmppsId firstName lastName } }';
const PERSONS = 'query P($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId firstName } }';
const SEARCH = 'query S($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount nodes { hmppsId firstName } pageInfo { hasNextPage endCursor } } }';

const median = (xs: number[]) => percentile(xs, 50);
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** `argv`: the options after the command (`npm run bench:side-channels`, or `npm run bench -- --side-channels`). */
export async function main(argv: string[], command = 'npm run bench:side-channels'): Promise<void> {
  const cli = benchCommandLine(argv, { command, usage: usage(command), numbers: ['rounds', 'latency-ms', 'warmup'] });
  const ROUNDS = cli.number('rounds', 30);
  const LATENCY_MS = cli.number('latency-ms', 20);
  const WARMUP = cli.number('warmup', 5);
  const people = wellKnownPeople();
  const person = (key: string) => people.people.find((x) => x.key === key)!;
  const unknown = people.unknown;
  // Released, unsupervised, old number merged away: only the probation half (asked by the surviving number) hides them.
  const releasedMerged = new Population({ size: POPULATION, seed: DEFAULT_SEED }).people.find(
    (p) => p.kind === 'linked' && p.prisonId === 'OUT' && p.mergedPrisonNumbers.length > 0 && !p.activeSupervision && p.deliusNomsNumber !== p.mergedPrisonNumbers[0],
  )!;
  const cases = [
    { name: 'person, prison number in another prison', consumer: 'prison-operator', query: PERSON, filtered: { id: person('other-prison').prisonNumber }, unknown: { id: unknown.prisonNumber } },
    { name: 'person, CRN of a prisoner in another prison', consumer: 'prison-operator', query: PERSON, filtered: { id: person('other-prison').crn }, unknown: { id: unknown.crn } },
    { name: 'person, CRN of a limited-access probation-only case', consumer: 'prison-operator', query: PERSON, filtered: { id: person('excluded').crn }, unknown: { id: unknown.crn } },
    // A merged-away (old) number whose surviving record is in another prison (ADR 19, "Merged-away numbers").
    { name: 'person, merged-away number, another prison', consumer: 'prison-operator', query: PERSON, filtered: { id: person('merged').mergedPrisonNumbers[0] }, unknown: { id: unknown.prisonNumber } },
    { name: 'person, merged-away number, released, unsupervised (supervision filter)', consumer: 'probation-partner', query: PERSON, filtered: { id: releasedMerged.mergedPrisonNumbers[0] }, unknown: { id: unknown.prisonNumber } },
    { name: 'person, a prisoner to a probation-only consumer', consumer: 'probation-partner', query: PERSON, filtered: { id: person('prison-only').prisonNumber }, unknown: { id: unknown.prisonNumber } },
    { name: 'persons, one visible + one filtered', consumer: 'prison-operator', query: PERSONS, filtered: { ids: [person('linked').crn, person('other-prison').crn] }, unknown: { ids: [person('linked').crn, unknown.crn] } },
    {
      name: 'searchPersons, only match filtered (supervision)', consumer: 'probation-partner', query: SEARCH,
      filtered: { c: { lastName: person('prison-only').lastName, dateOfBirth: person('prison-only').dateOfBirth } },
      unknown: { c: { lastName: 'Zzyzzyxx', dateOfBirth: person('prison-only').dateOfBirth } },
    },
    {
      name: 'searchPersons, only match in another prison', consumer: 'prison-operator', query: SEARCH,
      filtered: { c: { lastName: person('other-prison').lastName, dateOfBirth: person('other-prison').dateOfBirth } },
      unknown: { c: { lastName: 'Zzyzzyxx', dateOfBirth: person('other-prison').dateOfBirth } },
    },
  ];

  const certs = createSecurityCertificates();
  const sims = await startSimulators({ population: POPULATION, latencyMs: LATENCY_MS }).catch((e: unknown) => {
    certs.remove();
    throw e;
  });
  const gateway = await startGatewayProcess({ ...gatewayEnv(sims, certs as never), POLICY_FILE: join(REPO_ROOT, 'policy', 'sample.yaml'), AUDIT_SINK: 'off' }).catch(async (e: unknown) => {
    await sims.stop();
    certs.remove();
    throw e;
  });
  const clients = Object.fromEntries(
    ['prison-operator', 'probation-partner'].map((name) => [name, client(gateway.consumerUrl, { ca: certs.ca, identity: certs.consumers[name]! })]),
  );
  const rows: Array<Record<string, unknown>> = [];
  try {
    for (const c of cases) {
      const gql = clients[c.consumer]!;
      const time = async (variables: Record<string, unknown>) => {
        const started = performance.now();
        const r = await gql.gql(c.query, variables);
        return { ms: performance.now() - started, raw: r.raw };
      };
      for (let i = 0; i < WARMUP; i++) {
        await time(c.filtered);
        await time(c.unknown);
      }
      const f: number[] = [];
      const u: number[] = [];
      let identical = true;
      for (let i = 0; i < ROUNDS; i++) {
        // Alternate which goes first, so neither always follows the other.
        const [a, b] = i % 2 === 0 ? [await time(c.filtered), await time(c.unknown)] : [null, null];
        const [bb, aa] = i % 2 === 1 ? [await time(c.unknown), await time(c.filtered)] : [b, a];
        f.push(aa!.ms);
        u.push(bb!.ms);
        if (aa!.raw !== bb!.raw) identical = false;
      }
      const row = {
        case: c.name,
        filteredMedianMs: +median(f).toFixed(1),
        unknownMedianMs: +median(u).toFixed(1),
        differenceMs: +(median(f) - median(u)).toFixed(1),
        filteredP90Ms: +percentile(f, 90).toFixed(1),
        unknownP90Ms: +percentile(u, 90).toFixed(1),
        identicalBodies: identical,
      };
      rows.push(row);
      say(JSON.stringify(row));
    }
  } finally {
    for (const c of Object.values(clients)) c.close();
    await gateway.stop();
    await sims.stop();
    certs.remove();
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const table = [
    `# Side channels: filtered vs unknown (${ROUNDS} rounds, ${LATENCY_MS} ms per upstream call, ${new Date().toISOString()})`,
    '',
    '| case | filtered median ms | unknown median ms | difference ms | filtered p90 | unknown p90 | bodies identical |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${String(r.case)} | ${String(r.filteredMedianMs)} | ${String(r.unknownMedianMs)} | ${String(r.differenceMs)} | ${String(r.filteredP90Ms)} | ${String(r.unknownP90Ms)} | ${r.identicalBodies ? 'yes' : 'NO'} |`),
    '',
  ].join('\n');
  writeFileSync(join(dir, `${stamp}-side-channels.json`), `${JSON.stringify({ rounds: ROUNDS, latencyMs: LATENCY_MS, rows }, null, 2)}\n`);
  writeFileSync(join(dir, `${stamp}-side-channels.md`), table);
  say(table);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
