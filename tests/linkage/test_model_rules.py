"""The saved model predicts with the blocking rules the code declares (model.settings()): a change to
the rules is a new model version, never a silent difference between the two."""

import json

from child_warehouse.linkage.model import model_path, settings


def test_the_saved_model_blocks_with_the_rules_settings_declares():
    declared = settings().create_settings_dict(sql_dialect_str="duckdb")
    saved = json.loads(model_path().read_text(encoding="utf-8"))
    rules = [rule["blocking_rule"] for rule in saved["blocking_rules_to_generate_predictions"]]
    assert rules == [rule["blocking_rule"] for rule in declared["blocking_rules_to_generate_predictions"]]


def test_no_rule_pairs_records_with_everyone_born_the_same_day():
    """A birth date alone (with sex) pairs each record with every register child born that day in
    the country; v3's date rules need today's province or the given name as well."""
    for rule in json.loads(model_path().read_text(encoding="utf-8"))[
        "blocking_rules_to_generate_predictions"
    ]:
        text = rule["blocking_rule"]
        if 'r."dob"' in text:
            assert 'r."province_now"' in text or 'r."given"' in text, text
