# shellcheck shell=bash
# Failure handling, the end of a job, and the entry point.

pl_phase_reason() {
  case $PL_PHASE in
    downloading) printf 'download_failed' ;;
    verifying) printf 'checksum_mismatch' ;;
    training) printf 'training_failed' ;;
    *) printf 'setup_failed' ;;
  esac
}

# BASH_COMMAND is the unexpanded source text, so it can name variables such
# as $PODLAUNCH_POD_TOKEN but never print their values.
pl_on_err() { # exit-code line command
  # A failure inside $(...) or a pipeline runs this in a subshell: let the
  # parent see the exit code instead of finishing the job twice.
  if [[ $BASHPID != "$PL_MAIN_PID" ]]; then exit "$1"; fi
  trap - ERR
  set +e
  local ts
  pl_now ts
  pl_log "ERROR at $ts: line $2: command \`$3\` failed with exit code $1"
  pl_fail "$(pl_phase_reason)" "line $2: \`$3\` failed with exit code $1" "$1"
}

# `set -u` and a few other errors end bash without the ERR trap: this catches
# those so even an unexpected exit reports, asks for termination and waits.
pl_on_exit() { # exit-code
  [[ $BASHPID == "$PL_MAIN_PID" && -z ${PL_FINISHING:-} ]] || return 0
  trap - EXIT
  pl_fail "$(pl_phase_reason)" "the bootstrap script stopped unexpectedly (exit code $1)" "$1"
}

pl_fail() { # reason message [exit-code]
  local rc=${3:-1}
  ((rc != 0)) || rc=1
  pl_log "FAILED ($1): $2"
  pl_finish failed "$1" "$2" "$rc"
}

pl_log_tail() { # out
  local LC_ALL=C line out=""
  if [[ -f $PL_LOG ]]; then
    while IFS= read -r line; do
      pl_truncate line "$line" "$PL_MAX_TAIL_LINE_BYTES"
      out+=${out:+$'\n'}$line
    done < <(tail -n "$PL_TAIL_LINES" "$PL_LOG" 2>/dev/null)
  fi
  printf -v "$1" '%s' "$out"
}

pl_mark_finished() { # status exit-code
  [[ -d $PL_STATE ]] || return 0
  printf '%s %s\n' "$1" "$2" >"$PL_STATE/finished.tmp" && mv -f "$PL_STATE/finished.tmp" "$PL_STATE/finished"
}

# Never returns. The marker goes first so a restart during the keep-alive
# window cannot run the job again.
pl_finish() { # status reason message exit-code
  trap - ERR
  set +e
  PL_FINISHING=1
  local tail=""
  pl_stop_background
  pl_mark_finished "$1" "$4"
  pl_logger_sync
  pl_ship_all 1
  if [[ $1 == succeeded ]]; then
    pl_report_status succeeded "" "$3" "$4"
    pl_finish_artifacts
  else
    pl_log_tail tail
    pl_report_status failed "$2" "$3" "$4" "$tail"
    pl_request_termination failed
  fi
  pl_end "$4"
}

# Uploads the artifacts; once the server confirmed them the pod has nothing
# left to give, so it asks for termination at once. Otherwise (skipped, no
# paths, failed after retries) the keep-alive window lets someone copy the
# model off by hand. The marker stops a restart from uploading again.
pl_finish_artifacts() {
  local uploaded=0
  pl_artifacts && uploaded=1
  : >"$PL_STATE/artifacts-done"
  pl_logger_sync
  pl_ship_all 1
  if ((uploaded)); then
    pl_request_termination artifacts_uploaded "$PL_ARTIFACT_EVENT"
    return 0
  fi
  pl_log "keeping the pod up for ${PL_KEEP_ALIVE}s so artifacts can be downloaded"
  sleep "$PL_KEEP_ALIVE"
  pl_request_termination keep_alive_expired
}

# wait: a pod's container is restarted when its main process exits and the
# bill goes on, so never exit; keep retrying undelivered reports meanwhile.
# exit: local runs want the job's exit code.
pl_end() { # exit-code
  trap - ERR
  set +e
  PL_FINISHING=1
  if [[ $PL_ON_FINISH == exit ]]; then
    pl_log "exiting with code $1"
    pl_logger_sync
    pl_ship_all 1
    rm -f "$PL_STATE/wgetrc"
    exit "$1"
  fi
  pl_log "job over; sleeping until the pod is terminated"
  pl_logger_sync
  pl_ship_all 1
  while ! pl_outbox_empty && [[ $PL_CAN_REPORT == 1 ]]; do
    sleep 30
    pl_drain
  done
  rm -f "$PL_STATE/wgetrc"
  while :; do sleep infinity || sleep 86400; done
}

pl_on_restart() {
  local status rc ev
  read -r status rc <"$PL_STATE/finished" || true
  pl_log "job already finished (${status:-unknown}, exit code ${rc:-?}); not running it again"
  pl_check_env_quiet
  # Restarted during the artifact upload: finish it (the server kept the bytes
  # it got), then end as a first run would.
  if [[ $status == succeeded && ! -e $PL_STATE/artifacts-done ]] && ((${#PL_ARTIFACT_PATHS[@]} > 0)); then
    trap - ERR
    set +e
    PL_FINISHING=1
    pl_finish_artifacts
    pl_end 0
  fi
  pl_ev_report ev restarted_after_finish "container restarted after the job finished (${status:-unknown})"
  pl_send "$ev" || true
  pl_request_termination restarted_after_finish
  [[ ${rc:-} =~ ^[0-9]+$ ]] || rc=1
  pl_end "$rc"
}

pl_check_env_quiet() {
  if [[ -n ${PODLAUNCH_EVENTS_URL:-} && ${PODLAUNCH_POD_TOKEN:-} =~ ^[A-Za-z0-9._~+/=-]+$ ]]; then
    PL_CAN_REPORT=1
  fi
}

pl_main() {
  trap 'pl_on_err "$?" "$LINENO" "$BASH_COMMAND"' ERR
  trap 'pl_on_exit "$?"' EXIT
  exec 5>&1 6>&2
  # PODLAUNCH_WORKDIR is the one runtime override: the local provider runs
  # pods as plain processes in their own folder, and reading it here keeps
  # the stored script byte-identical to the one that was previewed.
  PL_WORKDIR=${PODLAUNCH_WORKDIR:-$PL_SPEC_WORKDIR}
  PL_STATE="$PL_WORKDIR/.podlaunch"
  PL_LOG="$PL_WORKDIR/podlaunch.log"
  PL_METRICS_FILE="$PL_WORKDIR/podlaunch-metrics.jsonl"
  mkdir -p -- "$PL_STATE/outbox"
  chmod 700 "$PL_STATE"
  pl_logger_start
  pl_log "podlaunch bootstrap ${PL_SCRIPT_VERSION}, work directory $PL_WORKDIR"
  if [[ -f $PL_STATE/finished ]]; then pl_on_restart; fi
  pl_check_env
  pl_report_status starting
  # Heartbeat and log shipping start before the download: a long download
  # must not look like a silent pod to the server.
  pl_start_background
  pl_system_info
  pl_write_files
  pl_download
  pl_train
}
