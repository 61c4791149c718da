"""Command families beyond validate/rules/explain/schema; each module exposes COMMANDS."""
