# shellcheck shell=bash
# The job's phases, in order: setup checks, system info, files, download,
# verification, training.

pl_check_env() {
  local name missing=()
  for name in "${PL_REQUIRED_ENV[@]}"; do
    [[ -n ${!name:-} ]] || missing+=("$name")
  done
  # The token reaches curl inside a quoted config line: refuse anything that
  # could break out of it (and never echo the value).
  if [[ -n ${PODLAUNCH_POD_TOKEN:-} && ! $PODLAUNCH_POD_TOKEN =~ ^[A-Za-z0-9._~+/=-]+$ ]]; then
    pl_fail setup_failed "PODLAUNCH_POD_TOKEN holds characters a bearer token cannot have"
  fi
  if [[ -n ${PODLAUNCH_EVENTS_URL:-} && -n ${PODLAUNCH_POD_TOKEN:-} ]]; then
    PL_CAN_REPORT=1
  fi
  if ((${#missing[@]} > 0)); then
    pl_fail setup_failed "missing environment variable(s): ${missing[*]}"
  fi
  [[ $PODLAUNCH_DATASET_SIZE =~ ^[0-9]+$ ]] ||
    pl_fail setup_failed "PODLAUNCH_DATASET_SIZE is not a byte count: $PODLAUNCH_DATASET_SIZE"
  [[ $PODLAUNCH_DATASET_SHA256 =~ ^[0-9a-fA-F]{64}$ ]] ||
    pl_fail setup_failed "PODLAUNCH_DATASET_SHA256 is not a sha256 hex digest"
  return 0
}

pl_system_info() {
  local gpu py disk
  if command -v nvidia-smi >/dev/null 2>&1; then
    gpu=$(timeout 20 nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | paste -sd ';' -) || gpu=
  fi
  py=$(python3 --version 2>&1) || py=$(python --version 2>&1) || py=none
  disk=$(df -Pk "$PL_WORKDIR" 2>/dev/null | awk 'NR == 2 { printf "%.1f GiB free of %.1f GiB", $4 / 1048576, $2 / 1048576 }') || disk=unknown
  pl_log "---- system ----"
  pl_log "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
  pl_log "host: ${HOSTNAME:-unknown}"
  pl_log "gpu: ${gpu:-No GPU}"
  pl_log "python: ${py:-none}"
  pl_log "disk ($PL_WORKDIR): ${disk:-unknown}"
  pl_log "image: ${PODLAUNCH_IMAGE:-${RUNPOD_IMAGE_NAME:-unknown}}"
  pl_log "pod: ${RUNPOD_POD_ID:-none}, deployment: ${PODLAUNCH_DEPLOYMENT_ID:-unknown}"
  pl_log "bash: $BASH_VERSION"
  pl_log "----------------"
}

# No fork per file (modes are set by one chmod per mode in pl_chmod_files), so
# 64 inline files cost milliseconds, not a second.
pl_write_file() { # path content
  local dest="$PL_WORKDIR/$1"
  [[ -d ${dest%/*} ]] || mkdir -p -- "${dest%/*}"
  if [[ -e $dest || -L $dest ]]; then rm -f -- "$dest"; fi
  printf '%s' "$2" >"$dest"
}

pl_chmod_files() { # mode path...
  local mode=$1
  shift
  chmod "$mode" -- "${@/#/$PL_WORKDIR/}"
  pl_log "wrote $# file(s) with mode $mode: $*"
}

pl_sha256() { # file -> stdout hex
  local out
  if command -v sha256sum >/dev/null 2>&1; then
    out=$(sha256sum -- "$1")
  elif command -v shasum >/dev/null 2>&1; then
    out=$(shasum -a 256 -- "$1")
  else
    out=$(openssl dgst -sha256 -r -- "$1")
  fi
  printf '%s\n' "${out%% *}"
}

pl_download() {
  local dest="$PL_WORKDIR/$PL_DATASET_FILENAME" have=0 resume="" t0 t1 us secs rate data ev
  PL_PHASE=downloading
  pl_report_status downloading
  if [[ -f $dest ]]; then have=$(wc -c <"$dest"); fi
  if ((have > PODLAUNCH_DATASET_SIZE)); then rm -f -- "$dest"; have=0; fi
  if ((have > 0)); then resume=", resuming at byte $have"; fi
  pl_micros t0
  if ((have == PODLAUNCH_DATASET_SIZE)) && [[ $(pl_sha256 "$dest") == "${PODLAUNCH_DATASET_SHA256,,}" ]]; then
    pl_log "download: dataset already present and verified, skipping"
  elif command -v curl >/dev/null 2>&1; then
    pl_log "download: curl, $PODLAUNCH_DATASET_SIZE bytes expected$resume"
    curl --fail --location --silent --show-error --retry 5 --retry-connrefused \
      --connect-timeout 20 --continue-at - --output "$dest" "$PODLAUNCH_DATASET_URL"
  elif command -v wget >/dev/null 2>&1; then
    pl_log "download: wget (curl not found), $PODLAUNCH_DATASET_SIZE bytes expected"
    wget --quiet --continue --tries=5 --retry-connrefused --waitretry=2 --timeout=60 \
      --output-document="$dest" "$PODLAUNCH_DATASET_URL"
  else
    pl_fail download_failed "neither curl nor wget is installed"
  fi
  pl_micros t1
  us=$((t1 - t0))
  ((us > 0)) || us=1
  printf -v secs '%d.%06d' "$((us / 1000000))" "$((us % 1000000))"
  rate=$((PODLAUNCH_DATASET_SIZE * 1000000 / us))
  pl_log "download: $PODLAUNCH_DATASET_SIZE bytes in ${secs}s ($rate bytes/s)"
  PL_PHASE=verifying
  have=$(wc -c <"$dest")
  have=${have//[!0-9]/}
  if ((have != PODLAUNCH_DATASET_SIZE)); then
    pl_fail checksum_mismatch "dataset size mismatch: expected $PODLAUNCH_DATASET_SIZE bytes, got $have"
  fi
  local sum
  sum=$(pl_sha256 "$dest")
  if [[ $sum != "${PODLAUNCH_DATASET_SHA256,,}" ]]; then
    pl_fail checksum_mismatch "dataset sha256 mismatch: expected ${PODLAUNCH_DATASET_SHA256,,}, got $sum"
  fi
  pl_log "download: sha256 verified ($sum)"
  data="{\"bytes\":$PODLAUNCH_DATASET_SIZE,\"seconds\":$secs,\"bytesPerSecond\":$rate}"
  pl_ev_report ev download_complete "" "$data"
  pl_send "$ev" || true
}

pl_train() {
  local rc=0 msg
  PL_PHASE=training
  : >>"$PL_METRICS_FILE"
  pl_report_status training
  pl_log "training: starting${PL_MAX_RUNTIME:+ (max runtime ${PL_MAX_RUNTIME}s)}"
  # The trainer gets the user's env and the two PODLAUNCH_* paths, but not
  # the pod token nor the signed dataset URL: it has no use for them.
  (
    trap - ERR
    cd "$PL_WORKDIR"
    export PYTHONUNBUFFERED=1
    pl_user_env
    export PODLAUNCH_DATASET_PATH="$PL_WORKDIR/$PL_DATASET_FILENAME"
    export PODLAUNCH_METRICS_FILE="$PL_METRICS_FILE"
    unset PODLAUNCH_POD_TOKEN PODLAUNCH_DATASET_URL
    # --foreground keeps the trainer in the pod's process group: without it timeout makes a
    # group of its own, and terminating the pod's group would leave training running.
    if [[ -n $PL_MAX_RUNTIME ]] && command -v timeout >/dev/null 2>&1; then
      exec timeout --foreground --kill-after=30 "$PL_MAX_RUNTIME" bash -c "$PL_TRAIN_COMMAND"
    fi
    exec bash -c "$PL_TRAIN_COMMAND"
  ) </dev/null 5>&- 6>&- || rc=$?
  if ((rc == 0)); then
    pl_log "training: command succeeded"
    pl_finish succeeded "" "" 0
  fi
  msg="training command exited with code $rc"
  if [[ -n $PL_MAX_RUNTIME ]] && ((rc == 124)); then
    msg="training command exceeded its max runtime of ${PL_MAX_RUNTIME}s"
  fi
  pl_log "training: $msg"
  pl_finish failed training_failed "$msg" "$rc"
}
