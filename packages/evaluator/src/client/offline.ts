import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { SyncTarget } from './sync.js';

/**
 * Serves a flag file and follows its edits. The folder is watched rather than the file, because
 * editors and `git checkout` replace a file by renaming a new one over it, which ends a watch on
 * the old inode. Returns the function that stops watching.
 */
export function followFlagFile(target: SyncTarget, file: string, debounceMs: number): () => void {
  let stopped = false;
  let pending: NodeJS.Timeout | undefined;
  let lastText: string | undefined;

  const load = async (): Promise<void> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      target.log.warn(`cannot read offline flag file ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // fs.watch reports several events per save; an unchanged file needs no re-validation.
    if (stopped || text === lastText) return;
    lastText = text;
    let flagSet: unknown;
    try {
      flagSet = JSON.parse(text);
    } catch {
      target.log.warn(`offline flag file ${file} is not valid JSON; keeping the previous flag set`);
      return;
    }
    target.apply(flagSet, 'file');
  };

  // Reads run one after another so an older read never lands after a newer one.
  let queue = Promise.resolve();
  const reload = (): void => {
    queue = queue.then(load);
  };

  target.setStatus('offline');
  reload();
  const name = basename(file);
  let watcher: ReturnType<typeof watch> | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(pending);
      pending = setTimeout(reload, debounceMs).unref();
    });
    watcher.on('error', (error) => target.log.warn(`stopped watching ${file}: ${error.message}`));
  } catch (error) {
    target.log.warn(`cannot watch ${file} for changes: ${error instanceof Error ? error.message : String(error)}`);
  }

  return () => {
    stopped = true;
    clearTimeout(pending);
    watcher?.close();
  };
}
