/**
 * Start-up time of the upstream simulators: three starts each at 2,000 and 100,000 people.
 * `startupMs` is the simulator's own figure (process start to every listener up, module loading
 * included); `wallMs` is what a caller waits, from spawn to the ready line.
 * Run: npx tsx bench/simulator-startup.ts
 */
import { startSimulators } from '../local-stack/simulators.js';

const SIZES = [2000, 100_000];
const RUNS = 3;

interface Row {
  population: number;
  run: number;
  startupMs: number;
  wallMs: number;
}

const rows: Row[] = [];
for (const population of SIZES) {
  for (let run = 1; run <= RUNS; run++) {
    const t0 = performance.now();
    const sims = await startSimulators({ population, timeoutMs: 60_000 });
    const wallMs = Math.round(performance.now() - t0);
    rows.push({ population, run, startupMs: sims.startupMs, wallMs });
    await sims.stop();
    process.stdout.write(`population ${String(population).padStart(6)}  run ${run}  startupMs ${String(sims.startupMs).padStart(5)}  wall-to-ready ${String(wallMs).padStart(5)} ms\n`);
  }
}

process.stdout.write('\nmedian per population\n');
for (const population of SIZES) {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const mine = rows.filter((r) => r.population === population);
  process.stdout.write(`population ${String(population).padStart(6)}  startupMs ${median(mine.map((r) => r.startupMs))}  wall-to-ready ${median(mine.map((r) => r.wallMs))} ms\n`);
}
