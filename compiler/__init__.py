"""gkml (公开目录): validator and compiler for government disclosure catalogs."""
__version__ = "0.1.0"
