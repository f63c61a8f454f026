"""docs/domains/exports.md shows the lifecycle table and the column mapping as the code has them."""

from pathlib import Path

from gongyou.exports.columns import mapping_markdown
from gongyou.exports.enums import diagram

DOC = Path(__file__).resolve().parents[3] / "docs" / "domains" / "exports.md"


def test_the_diagram_is_the_transition_table():
    assert diagram() in DOC.read_text()


def test_the_column_mapping_is_the_column_table():
    assert mapping_markdown() in DOC.read_text()
