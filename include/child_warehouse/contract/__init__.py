"""The submission contract: what provinces send (types, columns, headers, layout, encodings) and the
reasons a file or a row is refused. Every stage reads it; it reads nothing of theirs."""
