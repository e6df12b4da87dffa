// The bash runtime cannot import TypeScript, so these tests hold it to @podlaunch/contract: the
// protocol budgets reach it only from the contract, and every status, failure reason, report kind
// and event type it can send is one the contract (and so the server) knows.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  FAILURE_REASONS,
  POD_FAILURE_REASONS,
  POD_REPORT_KINDS,
  POD_SCRIPT_BUDGETS,
  POD_STATUSES,
  PodEventSchema,
  TRUNCATION_MARKER,
} from '@podlaunch/contract'
import { describe, expect, it } from 'vitest'
import { buildBootstrapScript } from './index.ts'
import { PROTOCOL_VARIABLE_NAMES } from './protocol-budgets.ts'
import { RUNTIME_SH } from './runtime-sh.ts'

const bashDir = fileURLToPath(new URL('./bash/', import.meta.url))
const sources = readdirSync(bashDir)
  .filter((f) => f.endsWith('.sh'))
  .map((f) => ({ file: f, text: readFileSync(`${bashDir}/${f}`, 'utf8') }))
const bash = sources.map((s) => s.text).join('\n')

/** Every first capture group of `re` across the bash sources. */
function captures(re: RegExp, text = bash): string[] {
  return [...text.matchAll(new RegExp(re.source, 'gm'))].map((m) => m[1]!)
}
const sorted = (values: Iterable<string>) => [...new Set(values)].sort()

describe('protocol budgets in the bash runtime', () => {
  it('are never assigned in src/bash, only read', () => {
    expect(sources.length).toBeGreaterThanOrEqual(7)
    const names = PROTOCOL_VARIABLE_NAMES.join('|')
    for (const { file, text } of sources) {
      expect(text, file).not.toMatch(new RegExp(`^\\s*(?:local\\s+|declare\\s+\\S*\\s*|readonly\\s+)?(?:${names}|PL_MAX_\\w+)=`, 'm'))
    }
    // Whatever limit the runtime reads is written by the builder, and all of them are read
    // (PL_MAX_RUNTIME is the spec's maxRuntimeSeconds, not a protocol budget).
    const read = captures(/\b(PL_MAX_\w+|PL_TAIL_LINES|PL_TRUNCATION_MARKER)\b/).filter((name) => name !== 'PL_MAX_RUNTIME')
    expect(sorted(read)).toEqual(sorted(PROTOCOL_VARIABLE_NAMES))
  })

  it('hold the contract values in the script bash runs', () => {
    const script = buildBootstrapScript({ trainCommand: 'true' })
    const prelude = script.slice(0, script.indexOf(RUNTIME_SH))
    const printed = PROTOCOL_VARIABLE_NAMES.map((name) => `printf '%s\\0' "$${name}"`).join('\n')
    const run = spawnSync('bash', ['-c', `${prelude}\n${printed}`], { encoding: 'utf8' })
    expect(run.status, run.stderr).toBe(0)
    const values = Object.fromEntries(PROTOCOL_VARIABLE_NAMES.map((name, i) => [name, run.stdout.split('\0')[i]]))
    expect(values).toEqual({
      PL_MAX_EVENT_BATCH: String(POD_SCRIPT_BUDGETS.eventsPerBatch),
      PL_MAX_BATCH_BYTES: String(POD_SCRIPT_BUDGETS.batchBytes),
      PL_MAX_LINE_BYTES: String(POD_SCRIPT_BUDGETS.logLineBytes),
      PL_MAX_METRIC_BYTES: String(POD_SCRIPT_BUDGETS.metricLineBytes),
      PL_MAX_MESSAGE_BYTES: String(POD_SCRIPT_BUDGETS.messageBytes),
      PL_MAX_TAIL_LINE_BYTES: String(POD_SCRIPT_BUDGETS.tailLineBytes),
      PL_TAIL_LINES: String(POD_SCRIPT_BUDGETS.tailLines),
      PL_TRUNCATION_MARKER: TRUNCATION_MARKER,
    })
  })

  it('leave no other copy of a limit in the runtime', () => {
    // The old home of the limits: a number that equals a budget sits only in the builder's prelude.
    for (const value of [POD_SCRIPT_BUDGETS.batchBytes, POD_SCRIPT_BUDGETS.logLineBytes, POD_SCRIPT_BUDGETS.metricLineBytes]) {
      expect(bash).not.toMatch(new RegExp(`\\b${value}\\b`))
    }
    expect(bash).not.toContain(TRUNCATION_MARKER.trim())
  })
})

describe('vocabulary the bash runtime sends', () => {
  it('reports only the statuses a pod may report, and all of them', () => {
    const statuses = [...captures(/pl_report_status (\w+)/), ...captures(/pl_finish (\w+)/)]
    expect(sorted(statuses)).toEqual(sorted(POD_STATUSES))
  })

  it('gives only the failure reasons a pod may give, and all of them', () => {
    const phaseReason = /pl_phase_reason\(\) \{([\s\S]*?)\n\}/.exec(bash)?.[1] ?? ''
    const reasons = [...captures(/pl_fail (\w+)/), ...captures(/pl_finish failed (\w+)/), ...captures(/printf '(\w+)'/, phaseReason)]
    expect(phaseReason).toContain('setup_failed')
    expect(sorted(reasons)).toEqual(sorted(POD_FAILURE_REASONS))
    // No reason that belongs to the server (heartbeat_lost, no_capacity…) appears anywhere.
    const serverOnly = FAILURE_REASONS.filter((r) => !(POD_FAILURE_REASONS as readonly string[]).includes(r))
    for (const reason of serverOnly) expect(bash).not.toMatch(new RegExp(`\\b${reason}\\b`))
  })

  it('sends the report kinds the contract lists, none of them the server’s', () => {
    const kinds = [...captures(/pl_ev_report \S+ (\w+)/), ...captures(/pl_artifact_report (\w+)/)]
    expect(sorted(kinds)).toEqual(sorted(POD_REPORT_KINDS))
  })

  it('sends only event types the protocol has', () => {
    const known = PodEventSchema.options.map((option) => option.shape.type.value)
    const types = [...captures(/pl_ev_simple \S+ (\w+)/), ...captures(/"type":"(\w+)"/), ...captures(/\\"type\\":\\"(\w+)\\"/)]
    expect(types.length).toBeGreaterThan(3)
    for (const type of types) expect(known).toContain(type)
  })
})
