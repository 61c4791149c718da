"""python -m compiler == gkml."""
from .cli import entry

entry()
