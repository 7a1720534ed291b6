"""Reporting: the run ledger and readable summaries for engineers and analysts."""
