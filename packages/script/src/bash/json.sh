# shellcheck shell=bash
PL_CTRL_CHARS=()
for ((pl_i = 1; pl_i < 32; pl_i++)); do
  printf -v pl_c '%02x' "$pl_i"
  printf -v pl_c '%b' "\\x$pl_c"
  PL_CTRL_CHARS[pl_i]=$pl_c
done
unset pl_i pl_c

# Byte-wise (LC_ALL=C) so valid UTF-8 passes through untouched.
pl_json_str() {
  local LC_ALL=C s=$2 i u
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  if [[ $s == *[$'\x01'-$'\x1f']* ]]; then
    s=${s//$'\n'/\\n}
    s=${s//$'\r'/\\r}
    s=${s//$'\t'/\\t}
    if [[ $s == *[$'\x01'-$'\x1f']* ]]; then
      for ((i = 1; i < 32; i++)); do
        [[ $s == *"${PL_CTRL_CHARS[i]}"* ]] || continue
        printf -v u '\\u%04x' "$i"
        s=${s//"${PL_CTRL_CHARS[i]}"/$u}
      done
    fi
  fi
  printf -v "$1" '"%s"' "$s"
}

# Cuts at a byte budget without splitting a UTF-8 sequence.
pl_truncate() {
  local LC_ALL=C s=$2 max=$3
  if ((${#s} > max)); then
    s=${s:0:max}
    while [[ -n $s && ${s: -1} == [$'\x80'-$'\xbf'] ]]; do s=${s:0:${#s}-1}; done
    if [[ -n $s && ${s: -1} == [$'\xc0'-$'\xff'] ]]; then s=${s:0:${#s}-1}; fi
    s+=$PL_TRUNCATION_MARKER
  fi
  printf -v "$1" '%s' "$s"
}

pl_ev_simple() { # out type [extra-json-fields]
  local at
  pl_now at
  printf -v "$1" '{"type":"%s","at":"%s"%s}' "$2" "$at" "${3:-}"
}

pl_ev_status() { # out status reason message exitCode logTail
  local extra="" j
  pl_json_str j "$2"
  extra+=",\"status\":$j"
  if [[ -n ${3:-} ]]; then pl_json_str j "$3"; extra+=",\"reason\":$j"; fi
  if [[ -n ${4:-} ]]; then
    pl_truncate j "$4" "$PL_MAX_MESSAGE_BYTES"
    pl_json_str j "$j"
    extra+=",\"message\":$j"
  fi
  if [[ -n ${5:-} ]]; then extra+=",\"exitCode\":$5"; fi
  if [[ -n ${6:-} ]]; then pl_json_str j "$6"; extra+=",\"logTail\":$j"; fi
  pl_ev_simple "$1" status "$extra"
}

pl_ev_report() { # out kind message [data-json]
  local extra="" j
  pl_json_str j "$2"
  extra+=",\"kind\":$j"
  if [[ -n ${3:-} ]]; then
    pl_truncate j "$3" "$PL_MAX_MESSAGE_BYTES"
    pl_json_str j "$j"
    extra+=",\"message\":$j"
  fi
  if [[ -n ${4:-} ]]; then extra+=",\"data\":$4"; fi
  pl_ev_simple "$1" report "$extra"
}
