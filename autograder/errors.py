"""Errors that every layer uses: one plain line for a user, never a traceback."""


class CourseError(Exception):
    """A problem in the user's input: course.yml, a path, an assignment id.

    The CLI prints ``str(error)`` on one line and exits with status 2.
    """


class GradingTimeout(BaseException):
    """A test, a call into the student's code or a submission's budget ran past its time.

    A BaseException, so a student's ``except Exception`` cannot swallow it.
    """
