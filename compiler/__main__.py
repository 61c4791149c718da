"""python -m compiler == gkml."""
from .cli import main

main()
