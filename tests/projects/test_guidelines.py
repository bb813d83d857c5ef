import pytest

from apps.projects.guidelines import render_guidelines


@pytest.mark.parametrize(
    "url", ["https://tracker.example/pixel.png?reader=1", "//tracker.example/p.gif", " HTTP://tracker.example/p"]
)
def test_a_remote_image_becomes_a_link_and_is_never_loaded(url):
    html = render_guidelines(f"See ![the map]({url}).")
    assert "<img" not in html
    assert '<a href="' in html
    assert ">the map</a>" in html


def test_an_image_from_lector_itself_is_kept():
    html = render_guidelines("![legend](/static/legend.png)")
    assert '<img src="/static/legend.png" alt="legend">' in html


def test_a_reference_style_remote_image_is_not_loaded_either():
    assert "<img" not in render_guidelines("![pixel][p]\n\n[p]: https://tracker.example/p.png")
