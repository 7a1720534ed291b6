"""Data Docs site configuration: GX's own pages, with their Jinja templates compiled once per process.

GX builds every section of a site (suites, validation results, the index) with a view that creates its
own Jinja environment, so each build compiles the same fifty templates again: about 0.2 s a province,
most of a small province's Data Docs time. These views are GX's page views sharing one environment
(and so its compiled templates) per view class and template folders. The filters the environment
holds are bound to the first view; every view of a class is configured alike, so any of them would do.
"""

from __future__ import annotations

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
