"""Command families beyond validate/rules/explain/schema, each listing its COMMANDS (cli.py registers them); common.py holds what they share."""
