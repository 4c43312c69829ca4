"""The two kinds of error the trainer reports to a user (the CLI maps them to exit codes)."""


class UsageError(ValueError):
    """An argument is wrong (unknown language, budget out of range, a path that is not data): exit status 2, raised
    before any work is done."""


class DataError(ValueError):
    """Data is malformed or inconsistent; the message names the file and the line or row: exit status 1."""
