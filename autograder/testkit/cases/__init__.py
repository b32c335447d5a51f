"""Grader-side case builders and checks that several hidden test files of an assignment share."""
