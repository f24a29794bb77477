"""Django's ``{# … #}`` comment holds on one line only: spread over two, it is printed on the page.
Walked: a two-line comment about the map's filter panel read as text above every map."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "var", "node_modules", ".git"}


def _templates() -> list[Path]:
    return [
        path
        for suffix in ("*.html", "*.txt", "*.xml")
        for path in ROOT.rglob(suffix)
        if not SKIPPED & set(path.relative_to(ROOT).parts)
    ]


def test_no_template_opens_a_one_line_comment_it_does_not_close_on_that_line():
    unclosed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not unclosed, unclosed
