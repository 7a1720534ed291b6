"""Publication: what a national reviewer is shown (candidate), releases and revisions (publish), and
the national report of a release (report, charts)."""
