"""dbt flows one way: staging -> intermediate -> marts (core -> analyst), read from dbt's own manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# What each layer may read. Staging reads one source and nothing else; no layer reads a layer above it.
MAY_READ = {
    "staging": set(),
    "intermediate": {"staging", "intermediate"},
    "core": {"staging", "intermediate", "core"},
    "analyst": {"intermediate", "core", "analyst"},
}


def layer(node: dict) -> str:
    """A model's layer from its folder: models/staging, models/intermediate, models/marts/<core|analyst>."""
    parts = Path(node["original_file_path"]).parts
    return parts[2] if parts[1] == "marts" else parts[1]


def layer_violations(manifest: dict) -> list[str]:
    """Every model that reads against the flow, as 'model (layer) reads what (its layer)'."""
    nodes = manifest["nodes"]
    found = []
    for node in nodes.values():
        if node["resource_type"] != "model":
            continue
        own = layer(node)
        parents = node["depends_on"]["nodes"]
        sources = [parent for parent in parents if parent.startswith("source.")]
        if own == "staging" and len(sources) != 1:
            found.append(f"{node['name']} (staging) reads {len(sources)} sources, not one")
        elif own != "staging" and sources:
            found.append(f"{node['name']} ({own}) reads a source: {', '.join(sources)}")
        for parent in parents:
            if parent.startswith("source."):
                continue
            if not parent.startswith("model."):
                found.append(f"{node['name']} ({own}) reads {parent}, which is not a model")
            elif (theirs := layer(nodes[parent])) not in MAY_READ[own]:
                found.append(f"{node['name']} ({own}) reads {nodes[parent]['name']} ({theirs})")
    return sorted(found)


@pytest.fixture(scope="module")
def manifest(tools) -> dict:
    return json.loads((Path(tools["dbt_target"]) / "manifest.json").read_text(encoding="utf-8"))


def test_every_model_reads_only_its_own_layer_or_the_ones_below(manifest):
    assert layer_violations(manifest) == []
    layers = {layer(node) for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    assert layers == set(MAY_READ)


def _model(name: str, path: str, parents: list[str]) -> tuple[str, dict]:
    return f"model.child_warehouse.{name}", {
        "name": name,
        "resource_type": "model",
        "original_file_path": path,
        "depends_on": {"nodes": parents},
    }


def test_the_check_names_a_model_that_reads_up_a_layer_or_a_seed():
    nodes = dict(
        [
            _model("stg_raw__x", "models/staging/raw/stg_raw__x.sql", ["source.child_warehouse.raw.x"]),
            _model(
                "stg_raw__joins",
                "models/staging/raw/stg_raw__joins.sql",
                ["source.child_warehouse.raw.y", "model.child_warehouse.stg_raw__x"],
            ),
            _model("dim_x", "models/marts/core/dim_x.sql", ["model.child_warehouse.stg_raw__x"]),
            _model("int_x", "models/intermediate/int_x.sql", ["model.child_warehouse.dim_x"]),
            _model("mart_x", "models/marts/analyst/mart_x.sql", ["model.child_warehouse.stg_raw__x"]),
            _model("mart_y", "models/marts/analyst/mart_y.sql", ["seed.child_warehouse.provinces"]),
        ]
    )
    assert layer_violations({"nodes": nodes}) == [
        "int_x (intermediate) reads dim_x (core)",
        "mart_x (analyst) reads stg_raw__x (staging)",
        "mart_y (analyst) reads seed.child_warehouse.provinces, which is not a model",
        "stg_raw__joins (staging) reads stg_raw__x (staging)",
    ]


def test_the_docs_site_opens_on_an_overview_for_analysts_and_names_every_mart(manifest):
    overview = manifest["docs"]["doc.child_warehouse.__overview__"]["block_contents"]
    for said in ("Small cells are withheld", "Partial figures", "Provisional", "analyst guide"):
        assert said in overview, said
    marts = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and layer(node) == "analyst"
    }
    assert marts
    assert [name for name in sorted(marts) if f"`{name}`" not in overview] == []
