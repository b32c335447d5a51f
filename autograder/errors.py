"""Errors that reach a user as one plain line, never as a traceback."""


class CourseError(Exception):
    """A problem in the user's input: course.yml, a path, an assignment id.

    The CLI prints ``str(error)`` on one line and exits with status 2.
    """
