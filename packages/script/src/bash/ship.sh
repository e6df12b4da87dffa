# shellcheck shell=bash
# Log and metric shipping. Each source keeps a byte offset in the state
# folder; a batch is put in the outbox (with its seq) before the offset moves
# past its lines, so lines are sent in order, once, even across restarts.

pl_ship_source() { # kind(log|metric) file final(0|1)
  local LC_ALL=C kind=$1 file=$2 final=$3
  local off_file="$PL_STATE/$kind.offset" chunk="$PL_STATE/$kind.chunk"
  local off=0 size line len last=0 consumed=0 at msg j ev
  local -a batch=()
  local batch_bytes=0
  [[ -f $file ]] || return 0
  if [[ -s $off_file ]]; then off=$(<"$off_file"); fi
  size=$(wc -c <"$file") || return 0
  size=${size//[!0-9]/}
  # The trainer may truncate its metrics file: start over rather than stall.
  ((size < off)) && off=0
  ((size > off)) || return 0
  tail -c +"$((off + 1))" "$file" | head -c "$((size - off))" >"$chunk" || return 0
  while ((!last)); do
    if IFS= read -r line; then
      len=$((${#line} + 1))
    elif [[ $final == 1 && -n $line ]]; then
      len=${#line}
      last=1
    else
      break
    fi
    ev=
    if [[ $kind == log ]]; then
      if [[ $line =~ ^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z)\ (.*)$ ]]; then
        at=${BASH_REMATCH[1]}
        msg=${BASH_REMATCH[2]}
      else
        pl_now at
        msg=$line
      fi
      pl_truncate msg "$msg" "$PL_MAX_LINE_BYTES"
      pl_json_str j "$msg"
      ev="{\"type\":\"log\",\"at\":\"$at\",\"line\":$j}"
    elif [[ -n ${line//[[:space:]]/} ]]; then
      # A metric line cannot be cut, and the server refuses a whole batch for
      # one bad line: drop lines that are too long or plainly not a JSON object.
      if ((${#line} > PL_MAX_METRIC_BYTES)); then
        pl_log "metrics: dropped a line of ${#line} bytes (limit $PL_MAX_METRIC_BYTES)"
      elif [[ ! $line =~ ^[[:space:]]*\{.*\}[[:space:]]*$ ]]; then
        pl_log "metrics: dropped a line that is not a JSON object"
      else
        pl_json_str j "$line"
        pl_ev_simple ev metric ",\"line\":$j"
      fi
    fi
    if [[ -n $ev ]]; then
      if ((${#batch[@]} >= PL_MAX_EVENT_BATCH || batch_bytes + ${#ev} + 1 > PL_MAX_BATCH_BYTES)); then
        pl_enqueue "${batch[@]}" || return 1
        printf '%s\n' "$((off + consumed))" >"$off_file"
        batch=()
        batch_bytes=0
      fi
      batch+=("$ev")
      batch_bytes=$((batch_bytes + ${#ev} + 1))
    fi
    consumed=$((consumed + len))
  done <"$chunk"
  rm -f "$chunk"
  if ((${#batch[@]} > 0)); then
    pl_enqueue "${batch[@]}" || return 1
  fi
  ((consumed > 0)) && printf '%s\n' "$((off + consumed))" >"$off_file"
  return 0
}

pl_ship_all() { # final(0|1)
  [[ $PL_CAN_REPORT == 1 ]] || return 0
  pl_ship_source metric "$PL_METRICS_FILE" "$1"
  pl_ship_source log "$PL_LOG" "$1"
  pl_drain
  return 0
}

# Background loops: no ERR trap, no errexit (a failed report must never end
# the job), and a TERM only interrupts the sleep so a send in flight ends
# cleanly before the loop sees the stop file.
pl_bg_init() {
  trap - ERR
  set +e
  trap ':' TERM
}

pl_bg_sleep() {
  sleep "$1" &
  local pid=$!
  wait "$pid"
  kill "$pid" 2>/dev/null
  return 0
}

pl_shipper_loop() {
  pl_bg_init
  while [[ ! -e $PL_STATE/stop ]]; do
    pl_bg_sleep "$PL_SHIP_INTERVAL"
    [[ -e $PL_STATE/stop ]] && break
    pl_ship_all 0
  done
}

pl_heartbeat_loop() {
  pl_bg_init
  local ev
  while [[ ! -e $PL_STATE/stop ]]; do
    pl_bg_sleep "$PL_HEARTBEAT"
    [[ -e $PL_STATE/stop ]] && break
    pl_ev_simple ev heartbeat
    pl_send "$ev"
  done
}

pl_start_background() {
  rm -f "$PL_STATE/stop"
  pl_shipper_loop &
  PL_BG_PIDS+=("$!")
  pl_heartbeat_loop &
  PL_BG_PIDS+=("$!")
}

pl_stop_background() {
  ((${#PL_BG_PIDS[@]} > 0)) || return 0
  : >"$PL_STATE/stop"
  kill -TERM "${PL_BG_PIDS[@]}" 2>/dev/null
  wait "${PL_BG_PIDS[@]}" 2>/dev/null
  PL_BG_PIDS=()
  return 0
}
