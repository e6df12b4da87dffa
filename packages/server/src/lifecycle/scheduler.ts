import { createLeaderLock } from './leader.ts'
import { reconcileOnce, type ReconcileDeps, type ReconcileReport } from './reconcile.ts'

export interface Reconciler {
  /** Runs one pass now if this instance leads; undefined otherwise. */
  tick(): Promise<ReconcileReport | undefined>
  isLeader(): boolean
  stop(): Promise<void>
}

/**
 * Runs reconciler passes on whichever server holds the advisory lock, every `intervalMs`
 * (default: the config's `reconcileIntervalSeconds`).
 */
export function startReconciler(
  deps: ReconcileDeps,
  options: { intervalMs?: number; onPass?: (report: ReconcileReport) => void } = {},
): Reconciler {
  const lock = createLeaderLock(deps.db)
  let leader = false
  let running: Promise<ReconcileReport | undefined> | undefined
  let stopped = false

  const tick = () =>
    (running ??= (async () => {
      try {
        // A tick after stop must not take the lock again: nobody would ever release it.
        if (stopped) return undefined
        leader = await lock.acquire()
        if (!leader) return undefined
        const report = await reconcileOnce(deps)
        if (report.actions.length) deps.logger.info({ actions: report.actions }, 'reconciler acted')
        options.onPass?.(report)
        return report
      } catch (error) {
        deps.logger.error({ err: error }, 'reconciler pass failed')
        return undefined
      } finally {
        running = undefined
      }
    })())

  const timer = setInterval(() => void tick(), options.intervalMs ?? deps.config.reconcileIntervalSeconds * 1000)
  timer.unref()
  return {
    tick,
    isLeader: () => leader,
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
      await lock.release()
      leader = false
    },
  }
}
