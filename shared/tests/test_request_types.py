"""The shared types every request's text and integers go through (shared/contracts/common)."""

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.contracts.common import MultilineText, Offset, Text

TEXT, LINES, OFFSET = TypeAdapter(Text), TypeAdapter(MultilineText), TypeAdapter(Offset)


@pytest.mark.parametrize("value", ["Studie\x00dag", "a\x1bb", "a\x7fb", "a\x85b", "a\nb", "a\tb"])
def test_text_refuses_control_characters_newlines_included(value):
    with pytest.raises(ValidationError) as refused:
        TEXT.validate_python(value)
    assert refused.value.errors()[0]["type"] == "control_character"


def test_multi_line_text_keeps_newlines_tabs_and_returns_but_refuses_the_rest():
    assert LINES.validate_python("regel 1\r\n\tregel 2") == "regel 1\r\n\tregel 2"
    for value in ("a\x00b", "a\x0bb", "a\x1bb", "a\x9bb"):
        with pytest.raises(ValidationError):
            LINES.validate_python(value)


def test_ordinary_text_passes_unchanged():
    assert TEXT.validate_python("Café 't Hoekje – 3B (vmbo-kb) € 12,50") == (
        "Café 't Hoekje – 3B (vmbo-kb) € 12,50"
    )


def test_an_offset_stays_within_a_million():
    assert OFFSET.validate_python(1_000_000) == 1_000_000
    for value in (-1, 1_000_001, 2**63):
        with pytest.raises(ValidationError):
            OFFSET.validate_python(value)
