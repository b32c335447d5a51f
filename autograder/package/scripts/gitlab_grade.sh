reports=.autograder-reports
mkdir -p "$reports"
@LOCATE_AND_GRADE@
exit "$status"
