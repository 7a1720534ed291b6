"""Linkage: each child record to the population register's personal ID, or honestly unlinked."""
