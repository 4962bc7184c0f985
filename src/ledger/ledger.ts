import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import type { LedgerConfig } from '../config/ledger.js';
import type { AuditSink } from '../observability/audit-sink.js';
import type { Logger } from '../observability/logger.js';
import { migrate } from './migrations.js';
import { Chain, type ChainedRecord, type DisclosureBody } from './record.js';
import { insertRecords } from './store.js';

/**
 * Where disclosure records go. `record` never blocks the request and never throws; `accepting` is
 * false when, in closed mode, the ledger cannot take records (the gateway then refuses requests).
 */
export interface Ledger {
  record(body: DisclosureBody): void;
  accepting(): boolean;
  /** Records not yet in the database: queued in memory plus spooled to the local file. */
  backlog(): number;
  close(): Promise<void>;
}

export interface LedgerObserver {
  backlog(records: number): void;
  writeFailed(): void;
}

/** Local development without a database: each record is a line of the audit sink (still chained). */
export class AuditSinkLedger implements Ledger {
  private readonly chain: Chain;
  constructor(
    private readonly sink: AuditSink,
    replica: string,
  ) {
    this.chain = new Chain(`${replica}/${new Date().toISOString()}`);
  }
  record(body: DisclosureBody): void {
    const r = this.chain.append(body);
    this.sink.write({ event: 'disclosure-ledger', chain: r.chain, seq: r.seq, prevHash: r.prevHash, hash: r.hash, record: r.body });
  }
  accepting(): boolean {
    return true;
  }
  backlog(): number {
    return 0;
  }
  async close(): Promise<void> {}
}

/**
 * PostgreSQL, off the request path: records are chained as they are made (in this process, one
 * chain per process start), queued in memory (bounded), and inserted in batches by a timer. When
 * an insert fails: `spool` appends the batch to a local file (written and fsync'd before it counts as spooled) and
 * replays the file once PostgreSQL answers again (inserts are idempotent per chain and seq);
 * `closed` keeps the batch queued and says it is not accepting, so the gateway refuses requests
 * until a write succeeds. No record is ever dropped: a full queue spools at once (in either mode).
 */
export class PostgresLedger implements Ledger {
  private readonly pool: pg.Pool;
  private readonly chain: Chain;
  private queue: ChainedRecord[] = [];
  private spooled = 0;
  private healthy = true;
  private timer: NodeJS.Timeout | null = null;
  private anchorTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private sinceAnchor = 0;
  private lastAnchorAt = Date.now();
  private closed = false;
  private lastContact = Date.now();

  constructor(
    private readonly config: LedgerConfig & { databaseUrl: string },
    private readonly logger: Logger,
    private readonly observer: LedgerObserver | null = null,
  ) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, connectionTimeoutMillis: 2000, idleTimeoutMillis: 10_000 });
    // An idle client's connection dropping (database restarted) must not crash the process.
    this.pool.on('error', () => undefined);
    this.chain = new Chain(`${config.replica}/${new Date().toISOString()}`);
    this.spooled = countLines(config.spoolFile) + countLines(`${config.spoolFile}.replaying`);
  }

  /** Migrates (when the database answers); starts the writer. Never fails start-up in spool mode. */
  async start(): Promise<void> {
    try {
      const client = await this.pool.connect();
      try {
        const applied = await migrate(client);
        if (applied.length > 0) this.logger.info({ event: 'ledger-migrated', applied }, 'ledger migrations applied');
      } finally {
        client.release();
      }
    } catch (err) {
      if (this.config.onError === 'closed') throw new Error(`the ledger database cannot be reached: ${(err as Error).message}`, { cause: err });
      this.healthy = false;
      this.logger.error({ event: 'ledger-unavailable', err: { message: (err as Error).message } }, 'ledger database unavailable at start; spooling');
    }
    this.timer = setInterval(() => void this.flush(), this.config.flushIntervalMs);
    this.timer.unref();
    // Anchors on a timer too, not only when a record arrives: records made since the last anchor are anchored
    // within LEDGER_ANCHOR_INTERVAL_MS even when no request follows them, and an idle replica still anchors
    // once an hour (so a running replica's chain always has a recent record: `ledger prune` never takes it).
    this.anchorTimer = setInterval(() => {
      const since = Date.now() - this.lastAnchorAt;
      if ((this.sinceAnchor > 0 && since >= this.config.anchorIntervalMs) || since >= IDLE_ANCHOR_MS) this.anchor();
    }, Math.min(this.config.anchorIntervalMs, IDLE_ANCHOR_MS));
    this.anchorTimer.unref();
  }

  record(body: DisclosureBody): void {
    this.push(this.chain.append(body));
    this.sinceAnchor++;
    if (this.sinceAnchor >= this.config.anchorEvery || Date.now() - this.lastAnchorAt >= this.config.anchorIntervalMs) this.anchor();
    if (this.queue.length >= this.config.batchSize) void this.flush();
  }

  /** An anchor record; its hash also goes to the application log (no person data), a copy outside the database. */
  private anchor(): void {
    const r = this.chain.append({ kind: 'anchor', at: new Date().toISOString(), records: this.chain.length + 1 });
    this.push(r);
    this.sinceAnchor = 0;
    this.lastAnchorAt = Date.now();
    this.logger.info({ event: 'ledger-anchor', chain: r.chain, seq: r.seq, hash: r.hash }, 'ledger anchor');
  }

  private push(r: ChainedRecord): void {
    // A full queue spools in either mode (closed mode is refusing requests by then, but the records of
    // requests already in flight, and of the refusals themselves, must not grow memory without bound).
    if (this.queue.length >= this.config.queueMax) {
      this.spool([r]);
      return;
    }
    this.queue.push(r);
    this.observer?.backlog(this.backlog());
  }

  accepting(): boolean {
    return this.config.onError === 'spool' || (this.healthy && this.queue.length < this.config.queueMax);
  }

  backlog(): number {
    return this.queue.length + this.spooled;
  }

  /** Writes what is queued (and first what is spooled); one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
      this.observer?.backlog(this.backlog());
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    try {
      if (this.spooled > 0) await this.replaySpool();
      // With nothing to write, the database is still asked now and then, so that closed mode refuses
      // requests as soon as it is gone (and serves again as soon as it is back).
      if (this.queue.length === 0 && (!this.healthy || Date.now() - this.lastContact >= PROBE_INTERVAL_MS)) await this.pool.query('SELECT 1');
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.config.batchSize);
        await insertRecords(this.pool, batch);
        this.queue.splice(0, batch.length);
      }
      this.lastContact = Date.now();
      if (!this.healthy) this.logger.warn({ event: 'ledger-recovered' }, 'ledger database reachable again');
      this.healthy = true;
    } catch (err) {
      if (this.healthy) this.logger.error({ event: 'ledger-unavailable', err: { message: (err as Error).message } }, 'ledger write failed');
      this.healthy = false;
      this.observer?.writeFailed();
      if (this.config.onError === 'spool' && this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        this.spool(batch);
      }
    }
  }

  private spool(records: readonly ChainedRecord[]): void {
    mkdirSync(dirname(this.config.spoolFile), { recursive: true });
    // On disk before it counts as spooled: written and fsync'd (appendFileSync alone leaves it in the page cache).
    const fd = openSync(this.config.spoolFile, 'a', 0o600);
    try {
      writeSync(fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.spooled += records.length;
  }

  /** Inserts everything in the spool file, then removes it (the file is moved aside first, so records spooled meanwhile are kept). */
  private async replaySpool(): Promise<void> {
    const replaying = `${this.config.spoolFile}.replaying`;
    if (!existsSync(replaying) && existsSync(this.config.spoolFile)) renameSync(this.config.spoolFile, replaying);
    if (!existsSync(replaying)) return;
    this.spooled = countLines(replaying) + countLines(this.config.spoolFile);
    const records = readFileSync(replaying, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as ChainedRecord);
    for (let i = 0; i < records.length; i += this.config.batchSize) await insertRecords(this.pool, records.slice(i, i + this.config.batchSize));
    rmSync(replaying);
    this.spooled = countLines(this.config.spoolFile);
    this.logger.warn({ event: 'ledger-spool-replayed', records: records.length }, 'spooled ledger records written');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.anchorTimer) clearInterval(this.anchorTimer);
    await this.flush();
    if (this.queue.length > 0) this.spool(this.queue.splice(0));
    await this.pool.end().catch(() => undefined);
  }
}

const PROBE_INTERVAL_MS = 1000;
/** An idle replica's chain still gets an anchor this often. */
const IDLE_ANCHOR_MS = 3_600_000;

function countLines(file: string): number {
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, 'utf8');
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
