/**
 * Measures address de-duplication over the simulated population (ADR 9): for every person known to
 * both prison and probation, the addresses the Prison API and Delius answer are merged by the rule
 * before ADR 9 and by today's `mergeAddresses`, and compared with the truth the simulators know (which
 * model address each answer renders). Prints one JSON line.
 *
 *   npx tsx scripts/address-duplicates.ts [population]   (default 2000)
 */
import { toProbationAddress } from '../src/datasources/delius-integration/mapping.js';
import type { CaseAddressDto } from '../src/datasources/delius-integration/routes.js';
import { toAddresses } from '../src/datasources/prison-api/mapping.js';
import type { AddressDto } from '../src/datasources/prison-api/routes.js';
import { mergeAddresses, type Address } from '../src/domain/profile.js';
import { addresses as modelAddresses } from '../simulators/lib/details.js';
import { DEFAULT_SEED, Population } from '../simulators/lib/population.js';
import { startSimulators } from '../local-stack/simulators.js';

interface Tagged {
  ids: Set<number>;
}

/** The rule before ADR 9: postcode, "number" and street equal after upper-casing and removing spaces. */
function mergeBefore(prison: Array<{ dto: AddressDto; id: number }>, probation: Array<{ dto: CaseAddressDto; id: number }>): Tagged[] {
  const squash = (v: string | null | undefined) => (v ?? '').toUpperCase().replace(/\s+/g, '');
  const text = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);
  const out: Array<Tagged & { key: string | null }> = prison.map(({ dto, id }) => ({
    ids: new Set([id]),
    key: dto.postalCode
      ? [dto.postalCode, [text(dto.flat), text(dto.premise)].filter(Boolean).join(', '), dto.street].map(squash).join('|')
      : null,
  }));
  for (const { dto, id } of probation) {
    const key = [dto.postcode, text(dto.addressNumber) ?? text(dto.buildingName), dto.streetName].map(squash).join('|');
    const same = dto.postcode ? out.find((a) => a.key === key) : undefined;
    if (same) same.ids.add(id);
    else out.push({ ids: new Set([id]), key: null });
  }
  return out;
}

/** Today's rule. Each address carries its model id as an extra type, which merging keeps (types are united). */
function mergeAfter(prison: Array<{ dto: AddressDto; id: number }>, probation: Array<{ dto: CaseAddressDto; id: number }>): Tagged[] {
  const tagged = (a: Address, id: number): Address => ({ ...a, types: [...a.types, { code: `${TAG}${id}`, description: null }] });
  const merged = mergeAddresses(
    prison.map(({ dto, id }) => tagged(toAddresses([dto])[0]!, id)),
    probation.map(({ dto, id }) => tagged(toProbationAddress(dto), id)),
  );
  return merged.map((a) => ({ ids: new Set(a.types.filter((t) => t.code.startsWith(TAG)).map((t) => Number(t.code.slice(TAG.length)))) }));
}

const TAG = 'MODEL-ID:';

function score(lists: Tagged[][]) {
  let shown = 0;
  let duplicatePairs = 0;
  let peopleWithDuplicates = 0;
  let wrongMerges = 0;
  for (const list of lists) {
    shown += list.length;
    let pairs = 0;
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.ids.size > 1) wrongMerges += list[i]!.ids.size - 1;
      for (let j = i + 1; j < list.length; j++) if ([...list[i]!.ids].some((id) => list[j]!.ids.has(id))) pairs++;
    }
    duplicatePairs += pairs;
    if (pairs > 0) peopleWithDuplicates++;
  }
  return { addressesShown: shown, duplicatePairs, peopleWithDuplicates, wrongMerges };
}

async function main() {
  const size = Number(process.argv[2] ?? 2000);
  const pop = new Population({ size, seed: DEFAULT_SEED });
  const sims = await startSimulators({ population: size });
  try {
    const token = await sims.token();
    const get = async <T>(url: string): Promise<T> => {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${url} -> ${res.status}`);
      return (await res.json()) as T;
    };
    const before: Tagged[][] = [];
    const after: Tagged[][] = [];
    let distinct = 0;
    let linked = 0;
    for (const p of pop.people) {
      if (!p.crn || !p.prisonNumber) continue;
      linked++;
      const model = modelAddresses(pop, p);
      distinct += model.length;
      const prisonDtos = await get<Array<AddressDto & { addressId: number }>>(`${sims.urls.prisonApi}/api/offenders/${p.prisonNumber}/addresses`);
      const deliusDtos = (await get<{ contactDetails: { addresses: CaseAddressDto[] } }>(`${sims.urls.deliusIntegration}/case/${p.crn}/addresses`))
        .contactDetails.addresses;
      // Delius answers no id: its addresses are the model's it holds, in the model's order.
      const deliusIds = model.filter((a) => a.heldBy !== 'prison').map((a) => a.id);
      const prison = prisonDtos.map((dto) => ({ dto, id: dto.addressId }));
      const probation = deliusDtos.map((dto, i) => ({ dto, id: deliusIds[i]! }));
      before.push(mergeBefore(prison, probation));
      after.push(mergeAfter(prison, probation));
    }
    console.log(JSON.stringify({ population: size, linkedPeople: linked, distinctAddresses: distinct, before: score(before), after: score(after) }));
  } finally {
    await sims.stop();
  }
}

await main();
