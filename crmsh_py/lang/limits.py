"""Size limits of the configuration language, in a module of their own so that the shell can
check a command line without importing the parser (and lark behind it)."""

MAX_LINE_CHARS = 1 << 20  # a configuration line longer than 1 MiB is a mistake, not a configuration
