"""The national nightly benchmark: the real stages against their floors and their peers (`make bench`)."""
