"""Sources: find provinces' files in the landing zone and keep the ledger of every file seen."""
