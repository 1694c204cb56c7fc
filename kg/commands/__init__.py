"""The ``kg`` subcommands, one module each.

Each module defines ``register(subparsers)``, which adds its parser and sets
``func`` (a callable ``args -> exit status``) as the parser default. Modules
import heavy libraries inside ``func`` only, so ``kg --help`` stays fast.
"""

#: Subcommand modules, in the order ``kg --help`` lists them.
COMMANDS = ("build", "query", "export", "validate", "serve", "viz")
