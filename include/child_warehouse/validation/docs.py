"""Data Docs sites: GX's own pages, templates compiled once per process, readable offline.

GX builds every section of a site (suites, validation results, the index) with a view that creates its
own Jinja environment, so each build compiles the same fifty templates again: about 0.2 s a province,
most of a small province's Data Docs time. These views are GX's page views sharing one environment
(and so its compiled templates) per view class and template folders. The filters the environment
holds are bound to the first view; every view of a class is configured alike, so any of them would do.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import ClassVar

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView


class _SharedEnvironment:
    _environments: ClassVar[dict[tuple, object]] = {}

    def __init__(self, custom_styles_directory=None, custom_views_directory=None) -> None:
        key = (type(self), custom_styles_directory, custom_views_directory)
        shared = _SharedEnvironment._environments.get(key)
        if shared is None:
            super().__init__(custom_styles_directory, custom_views_directory)
            _SharedEnvironment._environments[key] = self.env
        else:
            self.custom_styles_directory = custom_styles_directory
            self.custom_views_directory = custom_views_directory
            self.env = shared


class SharedTemplatesPageView(_SharedEnvironment, DefaultJinjaPageView):
    """GX's page view (suites, validation results) over a shared Jinja environment."""


class SharedTemplatesIndexPageView(_SharedEnvironment, DefaultJinjaIndexPageView):
    """GX's index page view over a shared Jinja environment."""


def compile_templates() -> None:
    """Compile every page template into the shared environments now: in a process that tasks are
    forked from (orchestration/preload.py), each task then finds them compiled."""
    for view in (SharedTemplatesPageView(), SharedTemplatesIndexPageView()):
        for name in view.env.list_templates():  # pages (.j2) and the styles they include (.css)
            view.env.get_template(name)


def site_config(base_directory: Path) -> dict:
    """A local Data Docs site: suites and validation results (no profiling section, we profile nothing)."""
    view = {"module_name": __name__, "class_name": SharedTemplatesPageView.__name__}
    return {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(base_directory)},
        "site_index_builder": {
            "class_name": "DefaultSiteIndexBuilder",
            "view": {"module_name": __name__, "class_name": SharedTemplatesIndexPageView.__name__},
        },
        "site_section_builders": {
            "expectations": {"view": view},
            "validations": {"view": view},
            "profiling": "None",
        },
    }


ASSETS = Path(__file__).parent / "docs_assets"
VENDOR = Path("static") / "vendor"
# What GX's page templates load from the internet, and the vendored copy each becomes (SOURCES.md).
_TABLE = "https://unpkg.com/bootstrap-table@"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_DATEPICKER = f"{_CDNJS}bootstrap-datepicker/1.9.0/"
_FILTER = "/dist/extensions/filter-control/bootstrap-table-filter-control"
CDN = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "js/jquery.min.js",
    f"{_CDNJS}popper.js/1.12.9/umd/popper.min.js": "js/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "js/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "css/bootstrap.min.css",
    f"{_TABLE}1.19.1/dist/bootstrap-table.min.js": "js/bootstrap-table.min.js",
    f"{_TABLE}1.19.1/dist/bootstrap-table.min.css": "css/bootstrap-table.min.css",
    f"{_TABLE}1.19.1{_FILTER}.min.js": "js/bootstrap-table-filter-control.min.js",
    f"{_TABLE}1.19.0{_FILTER}.min.css": "css/bootstrap-table-filter-control.min.css",
    f"{_TABLE}1.19.0{_FILTER}.css": "css/bootstrap-table-filter-control.min.css",
    f"{_DATEPICKER}js/bootstrap-datepicker.min.js": "js/bootstrap-datepicker.min.js",
    f"{_DATEPICKER}css/bootstrap-datepicker.min.css": "css/bootstrap-datepicker.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "css/bootstrap-prefers-dark.min.css"
    ),
    f"{_CDNJS}font-awesome/6.6.0/css/all.min.css": "css/fontawesome-all.min.css",
}
# Chart libraries: no rule of ours draws a chart, so their tags go (SOURCES.md).
_CHART_SCRIPT = re.compile(r'<script src="https://cdn\.jsdelivr\.net/npm/vega[^"]*"></script>\s*')
# Subresource-integrity and CORS attributes: a page opened from disk cannot satisfy them.
_INTEGRITY = re.compile(r'\s+(integrity|crossorigin)="[^"]*"')
# GX's logo from its S3 bucket (img tags carry a cache-busting query; the CSS names another file).
_LOGO = re.compile(
    r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/[a-z_\-]+\.png(\?[^\"')]*)?"
)


def localise_site(site: Path, since: float = 0.0) -> int:
    """Make the site's pages load nothing from the internet: vendored copies in static/vendor.

    Pages written at or after `since` (a timestamp) are rewritten; older ones already were.
    Returns how many pages were rewritten."""
    target = site / VENDOR
    if not (target / "SOURCES.md").exists():
        shutil.copytree(ASSETS, target, dirs_exist_ok=True)
    rewritten = 0
    for page in site.rglob("*.html"):
        if page.stat().st_mtime < since:
            continue
        text = page.read_text(encoding="utf-8")
        local = localised(text, os.path.relpath(site / "static", page.parent))
        if local != text:
            page.write_text(local, encoding="utf-8")
            rewritten += 1
    return rewritten


def localised(html: str, static: str) -> str:
    """One page's HTML with every internet asset replaced by its copy under `static` (a relative path)."""
    html = _CHART_SCRIPT.sub("", html)
    for url, copy in CDN.items():
        html = html.replace(f'"{url}"', f'"{static}/vendor/{copy}"')
    html = _LOGO.sub(f"{static}/images/logo-long.png", html)
    return re.sub(r"<(script|link)\b[^>]*>", lambda tag: _INTEGRITY.sub("", tag.group(0)), html)
