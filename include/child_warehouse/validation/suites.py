"""Load the expectation suites kept in expectations/ (Great Expectations' own JSON shape).

A suite's row rules are SQL files, `expectations/rules/<submission_type>/<rule>.sql`, named from the
suite by `unexpected_rows_query_file`: written, reviewed and linted (`make lint`) as SQL. `{batch}`
stands for the submission's rows (validation/runner.py); any other brace is the SQL's own. Loading
turns a file into the one-line `unexpected_rows_query` GX substitutes: comments dropped, whitespace
outside quotes collapsed, literal braces escaped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from child_warehouse import settings

BATCH = "{batch}"
_QUOTED_OR_COMMENT = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*)""")


def load_suite_spec(submission_type: str, folder: Path | None = None) -> dict:
    """The suite for a submission type, as stored in version control, its rule files read in."""
    folder = folder or settings.expectations_dir()
    spec = json.loads((folder / f"{submission_type}.json").read_text(encoding="utf-8"))
    for expectation in spec["expectations"]:
        kwargs = expectation["kwargs"]
        if rule_file := kwargs.pop("unexpected_rows_query_file", None):
            kwargs["unexpected_rows_query"] = rule_query((folder / rule_file).read_text(encoding="utf-8"))
    return spec


def rule_query(text: str) -> str:
    """A rule file as the one-line query GX substitutes `{batch}` into."""
    # Odd pieces are quoted literals or identifiers (kept as written) or comments (dropped).
    pieces = _QUOTED_OR_COMMENT.split(text)
    kept = [" " if index % 2 and piece.startswith("--") else piece for index, piece in enumerate(pieces)]
    pieces = _QUOTED_OR_COMMENT.split("".join(kept))
    for index in range(0, len(pieces), 2):
        piece = re.sub(r"\s+", " ", pieces[index])
        pieces[index] = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", piece))
    query = "".join(pieces).strip()
    return BATCH.join(part.replace("{", "{{").replace("}", "}}") for part in query.split(BATCH))


def build_suite(spec: dict):
    """A GX ExpectationSuite from the stored spec (built at run time, never at DAG import)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = [ExpectationConfiguration(**e).to_domain_obj() for e in spec["expectations"]]
    return gx.ExpectationSuite(name=spec["name"], expectations=expectations)
