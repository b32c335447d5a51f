python="$AUTOGRADER_VENV/bin/python"
status=0
submission=$("$python" -m autograder package locate "$AUTOGRADER_ASSIGNMENT" "$AUTOGRADER_SUBMISSION" \
  --course "$AUTOGRADER_COURSE" 2>"$reports/stderr.txt") || status=$?
if [ "$status" -eq 0 ]; then
  "$python" -m autograder grade "$AUTOGRADER_ASSIGNMENT" "$submission" --course "$AUTOGRADER_COURSE" \
    --device "$AUTOGRADER_DEVICE" @REPORTS@ \
    ${AUTOGRADER_FAIL_UNDER:+--fail-under "$AUTOGRADER_FAIL_UNDER"} 2>"$reports/stderr.txt" || status=$?
fi
cat "$reports/stderr.txt" >&2
