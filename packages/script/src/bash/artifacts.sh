# shellcheck shell=bash
# The artifact phase, after training succeeded: pack PL_ARTIFACT_PATHS into one
# archive, upload it to the server (resumable: the server keeps what it got,
# and each retry continues from the server's offset with Content-Range), and
# confirm. Runs inside pl_finish (no ERR trap, no errexit): every step checks
# its own result. 0 = stored and confirmed by the server; 1 = skipped or
# failed, already reported (the keep-alive window is the fallback).

# Attempts without progress before giving up; an attempt that moved the
# server's offset forward resets the count, so a slow, flaky link still ends.
PL_ARTIFACT_ATTEMPTS=5
PL_ARTIFACT_DELAYS=(1 2 4 8)
PL_ARTIFACT_EVENT=

pl_artifacts() {
  local p name file size sum t0 t1 us secs j data
  local -a present=() missing=()
  PL_ARTIFACT_EVENT=
  ((${#PL_ARTIFACT_PATHS[@]} > 0)) || return 1
  if [[ -z ${PODLAUNCH_ARTIFACTS_URL:-} ]]; then
    pl_artifact_report artifacts_skipped "PODLAUNCH_ARTIFACTS_URL is not set: no artifact upload"
    return 1
  fi
  for p in "${PL_ARTIFACT_PATHS[@]}"; do
    if [[ -e $PL_WORKDIR/$p || -L $PL_WORKDIR/$p ]]; then present+=("$p"); else missing+=("$p"); fi
  done
  if ((${#present[@]} == 0)); then
    pl_artifact_report artifacts_skipped "no artifact path exists after training: ${missing[*]}"
    return 1
  fi
  ((${#missing[@]} == 0)) || pl_log "artifacts: not found, left out of the archive: ${missing[*]}"
  if ! command -v curl >/dev/null 2>&1; then
    pl_artifact_report artifact_upload_failed "curl is not installed: the artifact cannot be uploaded"
    return 1
  fi
  pl_artifact_pack "${present[@]}" || {
    pl_artifact_report artifact_upload_failed "packing the artifact paths failed: $PL_ARTIFACT_FAIL"
    return 1
  }
  name=$PL_ARTIFACT_NAME
  file=$PL_ARTIFACT_FILE
  size=$(wc -c <"$file")
  size=${size//[!0-9]/}
  sum=$(pl_sha256 "$file")
  pl_log "artifacts: packed ${present[*]} into $name ($size bytes, sha256 $sum)"
  pl_micros t0
  if ! pl_artifact_upload "$file" "$name" "$size" "$sum"; then
    pl_artifact_report artifact_upload_failed "$PL_ARTIFACT_FAIL" "$name" "$size" "$sum"
    return 1
  fi
  pl_micros t1
  us=$((t1 - t0))
  ((us > 0)) || us=1
  printf -v secs '%d.%06d' "$((us / 1000000))" "$((us % 1000000))"
  pl_log "artifacts: $name stored and verified by the server in ${secs}s ($((size * 1000000 / us)) bytes/s)"
  pl_json_str j "$name"
  data="{\"id\":\"$PL_ARTIFACT_ID\",\"name\":$j,\"bytes\":$size,\"sha256\":\"$sum\",\"seconds\":$secs}"
  # Sent by the caller in one batch with the termination request.
  pl_ev_report PL_ARTIFACT_EVENT artifacts_uploaded "" "$data"
  return 0
}

pl_artifact_report() { # kind reason [name bytes sha256]
  local ev j data
  pl_log "artifacts: $2"
  pl_json_str j "$2"
  data="{\"reason\":$j"
  if [[ -n ${3:-} ]]; then
    pl_json_str j "$3"
    data+=",\"name\":$j,\"bytes\":$4,\"sha256\":\"$5\""
  fi
  pl_ev_report ev "$1" "$2" "$data}"
  pl_send "$ev" || true
}

# zstd when the image has it (fast, multi-threaded), gzip -1 otherwise (model
# weights barely compress; speed matters more). The archive is built under a
# temporary name and kept with a marker, so a restarted container uploads the
# same bytes (and resumes) instead of packing again.
pl_artifact_pack() { # paths...
  local dir="$PL_STATE/artifacts" tmp
  local -a compress
  PL_ARTIFACT_FAIL=
  if command -v zstd >/dev/null 2>&1; then
    PL_ARTIFACT_NAME=artifacts.tar.zst
    compress=(zstd -q -T0 -3 -c)
  else
    PL_ARTIFACT_NAME=artifacts.tar.gz
    compress=(gzip -1 -c)
  fi
  PL_ARTIFACT_FILE="$dir/$PL_ARTIFACT_NAME"
  if [[ -f $PL_ARTIFACT_FILE && -f $PL_ARTIFACT_FILE.packed ]]; then
    pl_log "artifacts: reusing $PL_ARTIFACT_NAME packed before a restart"
    return 0
  fi
  mkdir -p -- "$dir" || { PL_ARTIFACT_FAIL="cannot create $dir"; return 1; }
  tmp="$dir/.$PL_ARTIFACT_NAME.tmp"
  pl_log "artifacts: packing with tar | ${compress[0]}"
  tar -C "$PL_WORKDIR" -cf - -- "$@" 2>"$dir/tar.err" | "${compress[@]}" >"$tmp"
  local rcs=("${PIPESTATUS[@]}")
  if ((rcs[0] != 0 || rcs[1] != 0)); then
    PL_ARTIFACT_FAIL="tar exited with ${rcs[0]}, ${compress[0]} with ${rcs[1]}: $(head -c 500 "$dir/tar.err" 2>/dev/null)"
    rm -f -- "$tmp"
    return 1
  fi
  mv -f -- "$tmp" "$PL_ARTIFACT_FILE" && : >"$PL_ARTIFACT_FILE.packed"
}

# One request to the artifacts endpoint; the token travels in curl's config on
# stdin, never in argv. Sets PL_HTTP_CODE (000 = no answer) and PL_HTTP_BODY.
pl_artifact_http() { # method url [json-body | file offset size]
  local resp="$PL_STATE/resp-artifact-$BASHPID" out
  local -a args=(-sS -K - -o "$resp" -w '%{http_code}' --connect-timeout 10 -H 'Expect:')
  PL_HTTP_CODE=000
  case $1 in
    POST) args+=(--max-time 60 -H 'Content-Type: application/json' --data-binary "$3") ;;
    GET) args+=(--max-time 60) ;;
    PUT)
      # A stalled link (under 1 KiB/s for a minute) ends the attempt; the
      # next one resumes from the server's offset.
      args+=(-X PUT -H 'Content-Type: application/octet-stream' --speed-limit 1024 --speed-time 60)
      if (($4 < $5)); then
        args+=(-T "$3" -C "$4")
      else
        # The server holds every byte but did not finish (it restarted): an empty
        # PUT asks it to verify and complete.
        args+=(-H "Content-Range: bytes */$5" --data-binary '')
      fi
      ;;
  esac
  out=$(pl_curl_auth | curl "${args[@]}" "$2" 8>&- 9>&- 2>/dev/null) || true
  [[ $out =~ ^[0-9]{3}$ ]] && PL_HTTP_CODE=$out
  PL_HTTP_BODY=
  if [[ -f $resp ]]; then PL_HTTP_BODY=$(head -c 2000 "$resp" 2>/dev/null); rm -f "$resp"; fi
  return 0
}

# Reads the server's upload state ({"id","status","offset",…}) from PL_HTTP_BODY.
pl_artifact_state() {
  [[ $PL_HTTP_BODY =~ \"id\":\"([0-9a-f-]{36})\" ]] || return 1
  PL_A_ID=${BASH_REMATCH[1]}
  [[ $PL_HTTP_BODY =~ \"status\":\"([a-z]+)\" ]] || return 1
  PL_A_STATUS=${BASH_REMATCH[1]}
  [[ $PL_HTTP_BODY =~ \"offset\":([0-9]+) ]] || return 1
  PL_A_OFFSET=${BASH_REMATCH[1]}
}

pl_artifact_error() { # -> "HTTP 413 PAYLOAD_TOO_LARGE: message"
  local code="" msg=""
  [[ $PL_HTTP_BODY =~ \"code\":\"([A-Z_]+)\" ]] && code=" ${BASH_REMATCH[1]}"
  [[ $PL_HTTP_BODY =~ \"message\":\"([^\"]{0,300}) ]] && msg=": ${BASH_REMATCH[1]}"
  if [[ $PL_HTTP_CODE == 000 ]]; then
    printf 'no answer from the server'
  else
    printf 'HTTP %s%s%s' "$PL_HTTP_CODE" "$code" "$msg"
  fi
}

# Declares the artifact (name, size, sha256), then PUTs from the server's
# offset until the server answers complete. 4xx answers other than 409 are
# final (too large, checksum refused, bad token); no answer, 5xx, 429 and 409
# (another offset, an upload still finishing) are retried after asking the
# server where it stands. Sets PL_ARTIFACT_ID, or PL_ARTIFACT_FAIL.
pl_artifact_upload() { # file name size sha256
  local file=$1 size=$3 sum=$4 id="" failures=0 best=-1 j body url
  pl_json_str j "$2"
  body="{\"name\":$j,\"sizeBytes\":$size,\"sha256\":\"$sum\"}"
  PL_ARTIFACT_ID=
  PL_ARTIFACT_FAIL=
  while :; do
    if [[ -z $id ]]; then
      pl_artifact_http POST "$PODLAUNCH_ARTIFACTS_URL" "$body"
    else
      pl_artifact_http GET "$PODLAUNCH_ARTIFACTS_URL/$id"
    fi
    if [[ $PL_HTTP_CODE == 2?? ]] && pl_artifact_state; then
      id=$PL_A_ID
      if ((PL_A_OFFSET > best)); then
        best=$PL_A_OFFSET
        failures=0
      fi
      case $PL_A_STATUS in
        complete)
          PL_ARTIFACT_ID=$id
          return 0
          ;;
        uploading)
          url="$PODLAUNCH_ARTIFACTS_URL/$id/content"
          pl_log "artifacts: uploading $2 from byte $PL_A_OFFSET of $size"
          pl_artifact_http PUT "$url" "$file" "$PL_A_OFFSET" "$size"
          if [[ $PL_HTTP_CODE == 2?? ]] && pl_artifact_state && [[ $PL_A_STATUS == complete ]]; then
            PL_ARTIFACT_ID=$id
            return 0
          fi
          ;;
        *) id="" ;; # failed on the server: declare it again
      esac
    fi
    case $PL_HTTP_CODE in
      2?? | 000 | 409 | 429 | 5??) ;;
      *)
        PL_ARTIFACT_FAIL="the server refused the artifact ($(pl_artifact_error))"
        return 1
        ;;
    esac
    failures=$((failures + 1))
    if ((failures >= PL_ARTIFACT_ATTEMPTS)); then
      PL_ARTIFACT_FAIL="upload failed after $failures attempts without progress (last: $(pl_artifact_error))"
      return 1
    fi
    pl_log "artifacts: attempt failed ($(pl_artifact_error)); retrying in ${PL_ARTIFACT_DELAYS[failures - 1]}s"
    sleep "${PL_ARTIFACT_DELAYS[failures - 1]}"
  done
}
