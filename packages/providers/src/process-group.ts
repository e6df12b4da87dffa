import { readdirSync, readFileSync } from 'node:fs'

/** Signals every process in a group; false when the group is already empty. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  // kill(-1) would signal every process we may signal, and a bad pid must never get there.
  if (!isGroupId(pgid)) return false
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false
  }
}

/**
 * Whether a process still runs. A zombie counts as gone: it runs nothing, and orphans are
 * reaped by PID 1, which in containers (and this sandbox) can take seconds.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  const stat = procStat(pid)
  return stat === undefined || stat.state !== 'Z'
}

/** Whether any live (non-zombie) process is left in the group. */
export function isGroupAlive(pgid: number): boolean {
  if (!isGroupId(pgid)) return false
  try {
    process.kill(-pgid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return true // no procfs: trust kill(0), zombies included
  }
  return entries.some((entry) => {
    if (!/^\d+$/.test(entry)) return false
    const stat = procStat(Number(entry))
    return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z'
  })
}

function isGroupId(pgid: number): boolean {
  return Number.isInteger(pgid) && pgid > 1
}

function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    const state = fields[0]
    const pgrp = Number(fields[2])
    return state === undefined ? undefined : { state, pgrp }
  } catch {
    return undefined
  }
}

/** Polls until `done()` or the deadline; true when done. */
export async function pollUntil(done: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  return true
}
