import { POD_SCRIPT_BUDGETS, TRUNCATION_MARKER } from '@podlaunch/contract'
import { shellQuote } from './shell-quote.ts'

// The pod protocol's budgets under the names the bash runtime reads. src/bash never assigns
// them (a test checks): @podlaunch/contract is their one source, written in at build time.
const VARIABLES: readonly [string, string | number][] = [
  ['PL_MAX_EVENT_BATCH', POD_SCRIPT_BUDGETS.eventsPerBatch],
  ['PL_MAX_BATCH_BYTES', POD_SCRIPT_BUDGETS.batchBytes],
  ['PL_MAX_LINE_BYTES', POD_SCRIPT_BUDGETS.logLineBytes],
  ['PL_MAX_METRIC_BYTES', POD_SCRIPT_BUDGETS.metricLineBytes],
  ['PL_MAX_MESSAGE_BYTES', POD_SCRIPT_BUDGETS.messageBytes],
  ['PL_MAX_TAIL_LINE_BYTES', POD_SCRIPT_BUDGETS.tailLineBytes],
  ['PL_TAIL_LINES', POD_SCRIPT_BUDGETS.tailLines],
  ['PL_TRUNCATION_MARKER', TRUNCATION_MARKER],
]

/** The names buildBootstrapScript assigns from the contract. */
export const PROTOCOL_VARIABLE_NAMES: readonly string[] = VARIABLES.map(([name]) => name)

export function protocolBudgets(): string {
  const lines = VARIABLES.map(([name, value]) => `${name}=${typeof value === 'number' ? value : shellQuote(value)}`)
  return ["# The pod protocol's budgets, from @podlaunch/contract (POD_SCRIPT_BUDGETS).", ...lines, ''].join('\n')
}
