/**
 * Regenerates simulators/well-known-people.json from the population model (default seed).
 * Run: npx tsx simulators/write-well-known.ts
 */

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, MIN_POPULATION, Population } from './lib/population.js';
import { wellKnownFile } from './lib/well-known.js';

const target = fileURLToPath(new URL('./well-known-people.json', import.meta.url));
const population = new Population({ size: MIN_POPULATION, seed: DEFAULT_SEED });
writeFileSync(target, `${JSON.stringify(wellKnownFile(population), null, 2)}\n`);
process.stderr.write(`wrote ${target}\n`);
