# shellcheck shell=bash
# podlaunch bootstrap runtime, part 1 of 7 (log, json, report, ship, phases,
# artifacts, main). Static: buildBootstrapScript prepends the pod protocol's
# budgets (PL_MAX_*, PL_TAIL_LINES, PL_TRUNCATION_MARKER, from @podlaunch/contract)
# and the spec-dependent header (PL_* settings, pl_user_env, pl_write_files).
# After editing any part, run `node scripts/gen-runtime.mjs` to refresh
# src/runtime-sh.ts.

PL_REQUIRED_ENV=(PODLAUNCH_DATASET_URL PODLAUNCH_DATASET_SHA256 PODLAUNCH_DATASET_SIZE
  PODLAUNCH_EVENTS_URL PODLAUNCH_POD_TOKEN PODLAUNCH_DEPLOYMENT_ID)
PL_PHASE=setup
PL_MAIN_PID=$BASHPID
PL_CAN_REPORT=0
PL_LOGGER_PID=
PL_BG_PIDS=()

# Builtins only: this runs once per log line, so no `date` fork.
pl_now() {
  local -x TZ=UTC
  local t=${EPOCHREALTIME:-}
  t=${t//[!0-9]/}
  if ((${#t} > 6)); then
    printf -v "$1" '%(%Y-%m-%dT%H:%M:%S)T.%sZ' "${t:0:${#t}-6}" "${t:${#t}-6:3}"
  else
    printf -v "$1" '%(%Y-%m-%dT%H:%M:%S)TZ' -1
  fi
}

pl_micros() {
  local t=${EPOCHREALTIME:-}
  t=${t//[!0-9]/}
  if [[ -z $t ]]; then printf -v t '%(%s)T000000' -1; fi
  printf -v "$1" '%s' "$t"
}

pl_log() { printf '%s\n' "$*"; }

# Timestamps each line and appends it to the log file; also echoes it to the
# original stdout so `docker logs` / the RunPod console show the same text.
pl_logger() {
  trap - ERR
  set +e
  trap '' PIPE TERM INT
  local line ts out
  exec 4>>"$PL_LOG"
  while IFS= read -r line || [[ -n $line ]]; do
    pl_now ts
    printf -v out '%s %s\n' "$ts" "$line"
    printf '%s' "$out" >&4
    printf '%s' "$out"
  done
}

pl_logger_start() {
  exec > >(pl_logger) 2>&1
  PL_LOGGER_PID=$!
}

# Closing our ends of the pipe lets the logger drain and exit; the wait is
# bounded because a daemon left behind by the trainer may hold the pipe open.
pl_logger_sync() {
  [[ -n $PL_LOGGER_PID ]] || return 0
  exec 1>&5 2>&6
  local i
  for ((i = 0; i < 250; i++)); do
    kill -0 "$PL_LOGGER_PID" 2>/dev/null || break
    sleep 0.02
  done
  pl_logger_start
}
