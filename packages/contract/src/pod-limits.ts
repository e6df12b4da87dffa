// The pod protocol's limits (docs/pod-protocol.md): what the server accepts in one batch, and
// the budgets the generated bootstrap script keeps to so that it never sends what the server
// would refuse. One event over a limit makes the server refuse the whole batch, and the script
// drops a refused batch (resending cannot help), so the budgets sit at or under the limits.
// buildBootstrapScript writes the budgets into the script as PL_MAX_* variables.

/** What POST /v1/pod/events accepts; lengths in UTF-8 bytes unless named otherwise. */
export const POD_BATCH_LIMITS = {
  /** The request body. */
  bytes: 1024 * 1024,
  events: 1000,
  logLineBytes: 8 * 1024,
  metricLineBytes: 8 * 1024,
  /** A status's or report's `message`. */
  messageBytes: 4 * 1024,
  /** A failed status's `logTail`: the last lines of the log. */
  logTailBytes: 64 * 1024,
  /** A status's or report's `data`, as JSON text (UTF-16 code units). */
  dataJsonLength: 16 * 1024,
  /** A terminate request's `reason` (UTF-16 code units). */
  terminateReasonLength: 200,
  /** A metric's name, a key of a metric line (UTF-16 code units). */
  metricNameLength: 100,
} as const

/** What the script appends to a line it cut at a budget, so a reader knows text is missing. */
export const TRUNCATION_MARKER = ' [truncated]'

// The budgets count raw bytes as the script holds them (bash under LC_ALL=C). The server counts
// the decoded string, so JSON escaping (a tab becomes \t) does not count against a line; it does
// count against the batch body, which is why batchBytes measures the escaped events. The budgets
// assume UTF-8 text: a byte that is not valid UTF-8 decodes to U+FFFD (3 bytes) on the server.
export const POD_SCRIPT_BUDGETS = {
  /** Events per batch: the server's limit. */
  eventsPerBatch: POD_BATCH_LIMITS.events,
  /**
   * The escaped events of one batch, each counted with its comma. The envelope around them
   * ({"seq":…,"events":[…]}) adds under 40 bytes; the rest of the gap to 1 MiB is slack.
   */
  batchBytes: 900_000,
  /** A log line is cut here and TRUNCATION_MARKER appended: 8,012 bytes at most. */
  logLineBytes: 8000,
  /** A metric line cannot be cut (it is JSON): longer ones are dropped, so the limit itself. */
  metricLineBytes: POD_BATCH_LIMITS.metricLineBytes,
  /** A message is cut here and TRUNCATION_MARKER appended: 4,012 bytes at most. */
  messageBytes: 4000,
  /** The log tail holds this many of the last lines… */
  tailLines: 50,
  /** …each cut here (plus marker and newline): 50 × 1,213 = 60,650 bytes at most. */
  tailLineBytes: 1200,
} as const
