"""The package's layers (pyproject.toml, [tool.importlinter]) hold, and an import up a layer fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=package_parent, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_package_keeps_its_layers(tmp_path):
    copy = tmp_path / "include"
    shutil.copytree(ROOT / "include", copy, ignore=shutil.ignore_patterns("__pycache__", "*.csv"))
    result = _lint_imports(copy)
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_stage_importing_another_stage_breaks_the_contract(tmp_path):
    copy = tmp_path / "include"
    shutil.copytree(ROOT / "include", copy, ignore=shutil.ignore_patterns("__pycache__", "*.csv"))
    runner = copy / "child_warehouse" / "validation" / "runner.py"
    runner.write_text(runner.read_text() + "\nfrom child_warehouse.ingest import stage  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode != 0
    assert "child_warehouse.validation is not allowed to import child_warehouse.ingest" in result.stdout


def test_the_database_layer_importing_a_stage_breaks_the_contract(tmp_path):
    copy = tmp_path / "include"
    shutil.copytree(ROOT / "include", copy, ignore=shutil.ignore_patterns("__pycache__", "*.csv"))
    module = copy / "child_warehouse" / "db" / "connection.py"
    module.write_text(module.read_text() + "\nfrom child_warehouse.ledger import Status  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode != 0
    assert "child_warehouse.db is not allowed to import child_warehouse.ledger" in result.stdout


def layers_diagram() -> str:
    """The Mermaid diagram of the layers, generated from pyproject.toml's import-linter contract."""
    import tomllib

    contract = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = contract["contracts"][0]["layers"]
    lines = ["```mermaid", "flowchart TB"]
    for index, layer in enumerate(layers):
        packages = " · ".join(part.strip() for part in layer.split("|"))
        lines.append(f'    L{index}["{packages}"]')
    lines += [f"    L{index} --> L{index + 1}" for index in range(len(layers) - 1)]
    lines.append("```")
    return "\n".join(lines)


def test_the_architecture_doc_draws_the_layers_the_linter_checks():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    start, end = "<!-- layers: generated -->", "<!-- /layers -->"
    assert start in text, "docs/architecture.md lost its layers diagram"
    assert end in text, "docs/architecture.md lost the end of its layers diagram"
    drawn = text.split(start, 1)[1].split(end, 1)[0].strip()
    assert drawn == layers_diagram(), f"docs/architecture.md should draw:\n{layers_diagram()}"


def test_the_readme_layout_names_every_package():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = text.split("## Layout", 1)[1].split("```", 2)[1]
    package = ROOT / "include" / "child_warehouse"
    names = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    names |= {p.name for p in package.glob("*.py") if p.name != "__init__.py"}
    missing = sorted(
        n for n in names if f"  {n.removesuffix('.py')}" not in layout and f"  {n}" not in layout
    )
    assert missing == [], f"README's layout does not name: {missing}"
