"""Validation: Great Expectations suites over raw.*, row issues, and a verdict per submission."""
