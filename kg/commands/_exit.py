"""Exit statuses shared by all commands."""

OK = 0
ERROR = 1
USAGE = 2
SKIPPED = 3
