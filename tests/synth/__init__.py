"""Tests of the sample generator."""
