"""Catalogs over time (issue 19): reading two sides (git revisions or folders), the diff between
them, declared changes (the catalog's `changes` record) and writing that record."""
