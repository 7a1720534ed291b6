"""Vietnam national child data warehouse."""
