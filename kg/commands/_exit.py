"""Exit statuses shared by all commands."""

OK = 0
ERROR = 1
USAGE = 2
SKIPPED = 3
NOT_FOUND = 4  # `kg query`, `kg viz`: no entity has the name given (the closest names are listed on stderr)
BUSY = 5  # `kg build --no-wait`: another build is writing the output folder
