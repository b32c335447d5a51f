reports="$RUNNER_TEMP/autograder"
mkdir -p "$reports"
@FUNCTIONS@
@LOCATE_AND_GRADE@
if [ ! -s "$reports/classroom.json" ]; then
  # The grader could not grade: Classroom gets 0 points and the reason.
  reason=$(failure_reason "$reports/stderr.txt" "$status" | tr -d '\r')
  printf '{"version": 1, "status": "error", "max_score": %s, "tests": [{"name": "grading", "status": "error", "score": 0, "message": "%s", "test_code": "", "filename": "", "line_no": 0, "execution_time": "0s"}]}\n' \
    "$AUTOGRADER_MAX_SCORE" "$(printf '%s' "$reason" | json_string)" > "$reports/classroom.json"
  printf '## Assignment %s: not graded\n\n    %s\n' "$AUTOGRADER_ASSIGNMENT" "$reason" >> "$GITHUB_STEP_SUMMARY"
  echo "::error title=Assignment $AUTOGRADER_ASSIGNMENT not graded::${reason//%/%25}"
  [ "$status" -ne 0 ] || status=1
fi
echo "result=$(base64 -w0 < "$reports/classroom.json")" >> "$GITHUB_OUTPUT"
exit "$status"
