/**
 * The `responseFields` the gateway asks prisoner search for (PRISONER_RESPONSE_FIELDS, next to the
 * decoder) are exactly the fields the decoder checks and the mapping reads: a field read but not asked
 * for would silently be missing from every answer, a field asked for but not read costs every call its
 * bytes and its parse. Read from a simulator record with every list filled, through a proxy that notes
 * every field touched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PRISONER_RESPONSE_FIELDS, decodePrisoner } from '../../../src/datasources/prisoner-search/decode.js';
import { mergedNumbersOf, toPrisonRecord } from '../../../src/datasources/prisoner-search/mapping.js';
import type { PrisonerDto } from '../../../src/datasources/prisoner-search/routes.js';
import { DEFAULT_SEED, Population } from '../../../simulators/lib/population.js';
import { fullPrisoner, selectFields } from '../../../simulators/upstreams/prisoner-view.js';
import { specsDir } from '../../support/openapi.js';

const asked = PRISONER_RESPONSE_FIELDS.split(',');
const LISTS = ['tattoos', 'scars', 'marks', 'languages', 'personalCareNeeds', 'aliases', 'identifiers'];

/** A simulator prisoner record with every list the mapping reads non-empty (each from the first person who has one). */
function richRecord(): Record<string, unknown> {
  const pop = new Population({ size: 2000, seed: DEFAULT_SEED });
  const records = pop.people.filter((p) => p.prisonNumber).map((p) => fullPrisoner(pop, p));
  const filled = (name: string) => records.find((r) => Array.isArray(r[name]) && (r[name] as unknown[]).length > 0)?.[name];
  const record = { ...records[0]! };
  // The simulator never gives marks (only tattoos and scars): one of the same shape, synthetic.
  for (const name of LISTS) record[name] = filled(name) ?? (name === 'marks' ? [{ bodyPart: 'Arm', comment: 'Birthmark' }] : undefined);
  const merged = (record.identifiers as Array<Record<string, unknown>>).some((i) => i.type === 'MERGED');
  if (!merged) record.identifiers = [...(record.identifiers as unknown[]), { type: 'MERGED', value: 'A9999ZZ' }];
  return record;
}

/** Decodes and maps `record` as the prisoner-search routes do; returns the fields touched and the result. */
function readThrough(record: Record<string, unknown>) {
  const touched = new Set<string>();
  const proxy = new Proxy(structuredClone(record), {
    get(target, key, receiver) {
      if (typeof key === 'string') touched.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      if (typeof key === 'string') touched.add(key);
      return Reflect.has(target, key);
    },
  });
  const dto: PrisonerDto = decodePrisoner(proxy, '$', () => undefined);
  return { touched, mapped: { record: toPrisonRecord(dto), merged: mergedNumbersOf(dto) } };
}

describe('prisoner search responseFields', () => {
  const record = richRecord();

  it('asks for exactly the fields the decoder checks and the mapping reads', () => {
    for (const name of LISTS) expect((record[name] as unknown[]).length).toBeGreaterThan(0);
    const { touched } = readThrough(record);
    expect([...touched].sort()).toEqual([...asked].sort());
  });

  it('loses nothing: the answer with only those fields maps to the same person as the whole record', () => {
    const whole = readThrough(record).mapped;
    const selected = readThrough(selectFields(record, asked)).mapped;
    expect(selected).toEqual(whole);
    expect(whole.merged.length).toBeGreaterThan(0);
    // ... and asks for far less than the whole record (the point of asking).
    expect(JSON.stringify(selectFields(record, asked)).length).toBeLessThan(JSON.stringify(record).length / 2);
  });

  it('names only fields of the spec\'s Prisoner schema', () => {
    const spec = JSON.parse(readFileSync(join(specsDir(), 'dps-prisoner-search.json'), 'utf8')) as {
      components: { schemas: { Prisoner: { properties: Record<string, unknown> } } };
    };
    const properties = Object.keys(spec.components.schemas.Prisoner.properties);
    expect(asked.filter((f) => !properties.includes(f))).toEqual([]);
  });
});
