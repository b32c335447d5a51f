#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image for
# assignment @ASSIGNMENT@ (written by `autograder package gradescope @ASSIGNMENT@`).
# It installs Python, PyTorch (CPU-only where the platform allows) and the grader,
# then checks the image: the reference solution must score full marks.
set -euo pipefail

ROOT="${AUTOGRADER_GRADESCOPE_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"

if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi

@INSTALL@
# The packaged course grades its own reference to full marks, or the build fails here
# rather than at the first submission.
"$VENV/bin/python" -m autograder grade @ASSIGNMENT@ "$SOURCE/course/solutions/"@ASSIGNMENT@ \
  --course "$SOURCE/course" --device @DEVICE@ --fail-under @MAX_SCORE@
