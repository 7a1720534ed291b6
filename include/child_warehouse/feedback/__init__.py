"""Feedback to provinces: what was accepted, warned or rejected, and why, in Vietnamese and English."""
