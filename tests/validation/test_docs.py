"""Data Docs views share one Jinja environment per process, so templates compile once."""

from child_warehouse.validation.docs import SharedTemplatesIndexPageView, SharedTemplatesPageView, site_config


def test_views_of_a_class_share_their_environment_and_classes_do_not_mix(tmp_path):
    first, second = SharedTemplatesPageView(), SharedTemplatesPageView()
    assert first.env is second.env
    assert first.render.__func__ is second.render.__func__
    index = SharedTemplatesIndexPageView()
    assert index.env is not first.env
    assert index._template == "index_page.j2"
    assert first._template == "page.j2"
    styled = SharedTemplatesPageView(custom_styles_directory=str(tmp_path))
    assert styled.env is not first.env


def test_site_has_suites_and_results_and_no_profiling(tmp_path):
    config = site_config(tmp_path)
    assert config["store_backend"]["base_directory"] == str(tmp_path)
    assert config["site_section_builders"]["profiling"] == "None"
    assert config["site_section_builders"]["validations"]["view"]["class_name"] == "SharedTemplatesPageView"
