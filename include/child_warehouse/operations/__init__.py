"""Operations: reprocessing, alerts and other tools for the engineers who run the nightly load."""
