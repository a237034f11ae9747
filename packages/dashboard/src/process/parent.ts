/**
 * Calls `onGone` once this process's parent has exited: the kernel then re-parents it (to init or a
 * subreaper), so `process.ppid` changes. Checked every `everyMs` on a timer that keeps nothing alive.
 */
export function whenParentExits(onGone: () => void, everyMs = 500): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  timer.unref();
}
