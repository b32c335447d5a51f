rm -rf "$AUTOGRADER_COURSE"
git clone --quiet --depth 1 --filter=blob:none --sparse --branch "$AUTOGRADER_COURSE_REF" \
  "https://gitlab-ci-token:${@TOKEN@:-$CI_JOB_TOKEN}@$CI_SERVER_HOST/$AUTOGRADER_COURSE_REPO.git" \
  "$AUTOGRADER_COURSE"
git -C "$AUTOGRADER_COURSE" sparse-checkout set --no-cone @PATHS@
git -C "$AUTOGRADER_COURSE" remote set-url origin "https://$CI_SERVER_HOST/$AUTOGRADER_COURSE_REPO.git"
