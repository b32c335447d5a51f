# Standard input as the inside of a JSON string: UTF-8, control characters dropped, escaped.
json_string() {
  head -c 4000 | { iconv -c -f UTF-8 -t UTF-8 2>/dev/null || cat; } \
    | LC_ALL=C tr -d '\000-\010\013-\037\177' \
    | LC_ALL=C sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' \
    | LC_ALL=C awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }'
}
# Why grading stopped, in one line: the grader's own message, else the last line it printed.
failure_reason() {  # $1: the grader's standard error, $2: its exit status
  local said
  said=$(grep '^autograder: ' "$1" | grep -v '^autograder: warning' | tail -n 1) || true
  if [ -n "$said" ]; then
    printf '%s' "${said#autograder: }"
  else
    printf 'the grader stopped (exit status %s): %s' "$2" "$(tail -n 1 "$1" 2>/dev/null)"
  fi
}
