import { basename, dirname } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../observability/logger.js';
import { watchDebounced, type DebouncedWatch } from './file-watch.js';
import { loadPolicy, PolicyError, type Policy, type PolicyOptions } from './policy.js';
import { wideningsOf } from './policy-widening.js';

/**
 * The policy in force, replaced as a whole when the file changes or on SIGHUP. A request takes the
 * policy once (`current`) and keeps that object to the end, so it never sees half of one version and
 * half of another. A file that does not load or does not validate keeps the old policy and logs why.
 *
 * The directory is watched, not the file: editors and Kubernetes ConfigMaps replace files by rename
 * (a ConfigMap swaps a `..data` symlink), which a watch on the old inode would miss.
 */
export class PolicyStore {
  private policy: Policy;
  private watcher: DebouncedWatch | null = null;
  private readonly onSighup = () => this.reload('signal');

  constructor(
    private readonly file: string,
    private readonly schema: GraphQLSchema,
    private readonly logger: Logger,
    private readonly options: PolicyOptions & { onReload?: (outcome: 'applied' | 'rejected') => void } = {},
  ) {
    // Start-up: an invalid policy throws and stops the process (with every problem named).
    this.policy = loadPolicy(file, schema, options);
  }

  get current(): Policy {
    return this.policy;
  }

  /** Re-reads the file; returns true when a new policy is now in force. */
  reload(trigger: 'file' | 'signal' | 'manual' = 'manual'): boolean {
    let next: Policy;
    try {
      next = loadPolicy(this.file, this.schema, this.options);
    } catch (e) {
      const problems = e instanceof PolicyError ? e.problems : [(e as Error).message];
      this.options.onReload?.('rejected');
      this.logger.error(
        { event: 'policy-reload', outcome: 'rejected', trigger, file: this.file, problems, policyHash: this.policy.hash },
        'policy file rejected; the previous policy stays in force',
      );
      return false;
    }
    if (next.hash === this.policy.hash) return false;
    if (next.consumerNames.length === 0) {
      // An empty or truncated file (a half-written ConfigMap, a bad merge) would lock every consumer out.
      this.options.onReload?.('rejected');
      this.logger.error(
        { event: 'policy-reload', outcome: 'rejected', trigger, file: this.file, problems: ['the policy has no consumers'], policyHash: this.policy.hash },
        'policy file rejected: it would leave no consumers; the previous policy stays in force',
      );
      return false;
    }
    const previous = this.policy;
    this.policy = next;
    this.options.onReload?.('applied');
    this.logger.warn(
      { event: 'policy-reload', outcome: 'applied', trigger, file: this.file, policyHash: next.hash, previousHash: previous.hash, consumers: next.consumerNames.length },
      'policy reloaded',
    );
    for (const widening of wideningsOf(previous, next)) {
      this.logger.warn({ event: 'policy-widened', trigger, ...widening }, `policy reload widens what ${widening.consumer} may see (${widening.change})`);
    }
    return true;
  }

  /** Reload on file changes and on SIGHUP. */
  watch(): void {
    if (this.watcher) return;
    const name = basename(this.file);
    this.watcher = watchDebounced(
      dirname(this.file),
      { event: 'policy-watch', logger: this.logger, relevant: (changed) => !changed || changed === name || changed.startsWith('..') },
      () => this.reload('file'),
    );
    process.on('SIGHUP', this.onSighup);
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    process.off('SIGHUP', this.onSighup);
  }
}
