"""Load the expectation suites kept in expectations/ (Great Expectations' own JSON shape).

A suite's query rules are SQL files named from the suite by `unexpected_rows_query_file`: written,
reviewed and linted (`make lint`) as SQL. A rule of one submission type is
`expectations/rules/<submission_type>/<rule>.sql`; a rule on one column's values that several rules
share is `expectations/rules/values/<kind>.sql`, with `{column}` (the rule's `meta.column`) and the
expectation's `rule_parameters` (`{parser}`: a `util.parse_*` function; `{codes}`: a list of codes;
`{earlier}`, `{later}`, `{whole}`: columns) filled in when the suite is loaded. `{batch}` stands for the
submission's rows (validation/runner.py) and is left for GX; any other brace is the SQL's own.
Loading turns a file into the one-line `unexpected_rows_query` GX substitutes: comments dropped,
whitespace outside quotes collapsed, literal braces escaped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from child_warehouse import settings

BATCH = "{batch}"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_PARSER = re.compile(r"util\.parse_[a-z_]+")
COLUMN_PARAMETERS = ("column", "earlier", "later", "whole")
_QUOTED_OR_COMMENT = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*)""")


def load_suite_spec(submission_type: str, folder: Path | None = None) -> dict:
    """The suite for a submission type, as stored in version control, its rule files read in."""
    folder = folder or settings.expectations_dir()
    spec = json.loads((folder / f"{submission_type}.json").read_text(encoding="utf-8"))
    for expectation in spec["expectations"]:
        kwargs = expectation["kwargs"]
        parameters = kwargs.pop("rule_parameters", {})
        if rule_file := kwargs.pop("unexpected_rows_query_file", None):
            text = (folder / rule_file).read_text(encoding="utf-8")
            column = (expectation.get("meta") or {}).get("column")
            text = fill_parameters(text, {**parameters, "column": column}, rule_file)
            kwargs["unexpected_rows_query"] = rule_query(text)
    return spec


def fill_parameters(text: str, parameters: dict, rule_file: str) -> str:
    """A shared rule file with its parameters filled in: column names (`{column}`, `{earlier}`,
    `{later}`), a `util.parse_*` function (`{parser}`) and `{codes}` (quoted), each checked."""
    rendered = {}
    for name, value in parameters.items():
        if value is None:
            continue
        if name == "codes":
            rendered[name] = ", ".join("'" + code.replace("'", "''") + "'" for code in value)
        elif (name in COLUMN_PARAMETERS and _IDENTIFIER.fullmatch(value)) or (
            name == "parser" and _PARSER.fullmatch(value)
        ):
            rendered[name] = value
        else:
            raise ValueError(f"{rule_file}: {name} {value!r} is not a column name or a util.parse_* function")
    for name, value in rendered.items():
        text = text.replace("{" + name + "}", value)
    if missing := set(re.findall(r"\{(column|parser|codes|earlier|later|whole)\}", text)):
        raise ValueError(f"{rule_file}: the suite gives no {', '.join(sorted(missing))}")
    return text


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

    expectations = [
        ExpectationConfiguration(
            **{
                **e,
                # the bilingual text replaces a kwarg's English one (query rules carry one)
                "kwargs": {k: v for k, v in e["kwargs"].items() if k != "description"},
                "description": described(e["meta"]),
            }
        ).to_domain_obj()
        for e in spec["expectations"]
    ]
    return gx.ExpectationSuite(name=spec["name"], expectations=expectations)


SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo"}


def described(meta: dict) -> str:
    """A rule as Data Docs print it: its name and severity, the reason in Vietnamese, then in English."""

    def general(reason: str) -> str:  # the reason without a row's values in it
        return re.sub(r"'?\{[a-z_]+\}'?", "…", reason)

    severity = meta["severity"]
    return (
        f"{meta['rule']} ({SEVERITY_VI.get(severity, severity)} / {severity}): "
        f"{general(meta['reason_vi'])} / {general(meta['reason_en'])}"
    )
