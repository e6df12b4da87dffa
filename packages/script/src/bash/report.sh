# shellcheck shell=bash
# Event delivery. Every batch gets its seq and is written to the outbox
# before any attempt to send it, so a retried batch keeps its seq across
# ticks and container restarts, and batches leave in seq order.

# flock when present; an atomic mkdir otherwise. Stale mkdir locks (holder
# killed) are broken after ~30 s, longer than any single delivery attempt.
pl_lock() { # name (seq|drain)
  local f="$PL_STATE/$1.lock" i
  if command -v flock >/dev/null 2>&1; then
    if [[ $1 == seq ]]; then exec 8>>"$f"; else exec 9>>"$f"; fi
    flock -w 60 "$([[ $1 == seq ]] && echo 8 || echo 9)" && return 0
    pl_unlock "$1"
    return 1
  fi
  for ((i = 0; i < 1500; i++)); do
    mkdir "$f.d" 2>/dev/null && return 0
    sleep 0.02
  done
  rm -rf "$f.d"
  mkdir "$f.d" 2>/dev/null
}

pl_unlock() { # name
  if command -v flock >/dev/null 2>&1; then
    if [[ $1 == seq ]]; then exec 8>&-; else exec 9>&-; fi
  else
    rmdir "$PL_STATE/$1.lock.d" 2>/dev/null
  fi
  return 0
}

pl_enqueue() { # event-json...
  [[ $PL_CAN_REPORT == 1 ]] || return 1
  local IFS=, seq=0 tmp
  pl_lock seq || return 1
  if [[ -s $PL_STATE/seq ]]; then seq=$(<"$PL_STATE/seq"); fi
  seq=$((seq + 1))
  printf -v PL_LAST_OUTBOX '%s/outbox/%012d.json' "$PL_STATE" "$seq"
  tmp="$PL_STATE/outbox/.tmp-$BASHPID"
  { printf '{"seq":%s,"events":[%s]}' "$seq" "$*" >"$tmp" &&
    mv -f "$tmp" "$PL_LAST_OUTBOX" &&
    printf '%s\n' "$seq" >"$PL_STATE/seq.tmp-$BASHPID" &&
    mv -f "$PL_STATE/seq.tmp-$BASHPID" "$PL_STATE/seq"; }
  local rc=$?
  pl_unlock seq
  return "$rc"
}

# Writes the curl config to stdout so the token never sits in an argv that
# `ps`, `set -x` or the ERR trap's BASH_COMMAND could show.
pl_curl_auth() {
  printf 'header = "Authorization: Bearer %s"\n' "$PODLAUNCH_POD_TOKEN"
}

pl_wget_auth() {
  printf 'header = Authorization: Bearer %s\n' "$PODLAUNCH_POD_TOKEN"
}

pl_http_post() { # body-file -> sets PL_HTTP_CODE (000 = no answer)
  local resp="$PL_STATE/resp-$BASHPID" out
  PL_HTTP_CODE=000
  if command -v curl >/dev/null 2>&1; then
    out=$(pl_curl_auth | curl -sS -K - -o "$resp" -w '%{http_code}' \
      --connect-timeout 5 --max-time 15 -H 'Content-Type: application/json' \
      --data-binary @"$1" "$PODLAUNCH_EVENTS_URL" 8>&- 9>&- 2>/dev/null) || true
    [[ $out =~ ^[0-9]{3}$ ]] && PL_HTTP_CODE=$out
  else
    # wget cannot read its config from a pipe: a 0600 file in the 0700 state
    # folder, removed when the job is over (pl_end).
    if [[ ! -s $PL_STATE/wgetrc ]]; then (umask 077 && pl_wget_auth >"$PL_STATE/wgetrc"); fi
    out=$(wget -q -S -O "$resp" --config="$PL_STATE/wgetrc" --tries=1 --timeout=15 \
      --header='Content-Type: application/json' --post-file="$1" --content-on-error \
      "$PODLAUNCH_EVENTS_URL" 8>&- 9>&- 2>&1) || true
    if [[ $out =~ HTTP/[0-9.]+\ ([0-9]{3}) ]]; then PL_HTTP_CODE=${BASH_REMATCH[1]}; fi
  fi
  PL_HTTP_BODY=
  if [[ -f $resp ]]; then PL_HTTP_BODY=$(head -c 300 "$resp" 2>/dev/null); rm -f "$resp"; fi
  return 0
}

# 0 = consumed (delivered, or refused for good and dropped), 1 = keep it.
# Connection errors, 5xx and 429 are retried with backoff; after a failure
# the server counts as down for 20 s and later batches get one try each, so
# an unreachable server costs seconds, not minutes, and never blocks training.
pl_post_batch() { # body-file seq
  local delays=(0.5 1.5) tries=3 attempt=0 now down=0
  pl_micros now
  if [[ -s $PL_STATE/down-until ]]; then down=$(<"$PL_STATE/down-until"); fi
  ((now < down)) && tries=1
  while :; do
    pl_http_post "$1"
    case $PL_HTTP_CODE in
      2??) rm -f "$PL_STATE/down-until"; return 0 ;;
      409) pl_log "report: server refused a status change in batch $2 (HTTP 409): ${PL_HTTP_BODY//[$'\n\r']/ }"; return 0 ;;
      429 | 5?? | 000) ;;
      *) pl_log "report: batch $2 rejected with HTTP $PL_HTTP_CODE, dropped: ${PL_HTTP_BODY//[$'\n\r']/ }"; return 0 ;;
    esac
    attempt=$((attempt + 1))
    ((attempt < tries)) || break
    sleep "${delays[attempt - 1]}"
  done
  printf '%s\n' "$((now + 20000000))" >"$PL_STATE/down-until"
  pl_log "report: batch $2 not delivered (HTTP $PL_HTTP_CODE); kept for a later attempt"
  return 1
}

pl_drain() {
  [[ $PL_CAN_REPORT == 1 ]] || return 1
  pl_lock drain || return 1
  local f rc=0 name
  for f in "$PL_STATE"/outbox/*.json; do
    [[ -f $f ]] || continue
    name=${f##*/}
    if pl_post_batch "$f" "$((10#${name%.json}))"; then
      rm -f "$f"
    else
      rc=1
      break
    fi
  done
  pl_unlock drain
  return "$rc"
}

pl_outbox_empty() {
  local f
  for f in "$PL_STATE"/outbox/*.json; do [[ -f $f ]] && return 1; done
  return 0
}

pl_send() { # event-json...
  pl_enqueue "$@" || return 1
  pl_drain
}

pl_report_status() { # status reason message exitCode logTail
  local ev
  pl_ev_status ev "$@"
  pl_send "$ev" || true
}

# Extra events go in the same batch, before the request: the server may end
# the pod as soon as it reads the batch.
pl_request_termination() { # reason [event-json...]
  local ev j
  pl_log "requesting termination ($1)"
  pl_json_str j "$1"
  pl_ev_simple ev terminate_request ",\"reason\":$j"
  pl_send "${@:2}" "$ev" || true
  if [[ -n ${RUNPOD_POD_ID:-} ]] && command -v runpodctl >/dev/null 2>&1; then
    pl_log "requesting termination through runpodctl as a fallback"
    runpodctl remove pod "$RUNPOD_POD_ID" || pl_log "runpodctl remove pod failed (exit $?)"
  fi
  return 0
}
