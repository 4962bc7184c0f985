import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../observability/logger.js';

const DEBOUNCE_MS = 100;

export interface DebouncedWatch {
  close(): void;
}

/**
 * Calls `onChange` once a burst of changes under `dir` has settled (editors write a file in several steps;
 * a Kubernetes ConfigMap update swaps a `..data` symlink). `relevant` filters the changed names the watcher
 * reports (null when it cannot say). A folder that cannot be watched is logged: SIGHUP still reloads.
 */
export function watchDebounced(
  dir: string,
  opts: { recursive?: boolean; relevant?: (changed: string | null) => boolean; event: string; logger: Logger },
  onChange: () => void,
): DebouncedWatch {
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dir, { persistent: false, recursive: opts.recursive ?? false }, (_event, changed) => {
      if (opts.relevant && !opts.relevant(changed === null ? null : String(changed))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        onChange();
      }, DEBOUNCE_MS);
      timer.unref();
    });
    watcher.on('error', (e) => opts.logger.warn({ event: opts.event, err: e.message }, 'file watch failed; SIGHUP still reloads'));
  } catch (e) {
    opts.logger.warn({ event: opts.event, err: (e as Error).message }, 'cannot watch the folder; SIGHUP still reloads');
  }
  return {
    close() {
      watcher?.close();
      watcher = null;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
