"""Reading a cast: the tables authors write, and clear errors for mistakes."""
import pytest

from sitegen.load.cast import cast_from_tables
from sitegen.errors import SitegenError


def test_a_cast_table():
    (c,) = cast_from_tables({"ana": {"name": "Ana Lee", "aliases": ["Annie"], "pronouns": "She/Her",
                                     "colour": "#aa3355"}}, "work.toml")
    assert (c.id, c.name, c.aliases, c.pronouns, c.colour, c.narrator) == \
        ("ana", "Ana Lee", ("Annie",), "she", "#aa3355", False)


def test_a_first_person_narrator():
    (c,) = cast_from_tables({"me": {"name": "Jo", "pronouns": "i"}}, "work.toml")
    assert c.narrator


@pytest.mark.parametrize("tables,words", [
    ({"a b": {"name": "X"}}, "letters, digits"),
    ({'x"}': {"name": "X"}}, "letters, digits"),
    ({"x": {"name": "X", "pronouns": "zie"}}, "unknown pronouns"),
    ({"x": {"name": "X", "colour": "red"}}, "#rrggbb"),
    ({"x": {"name": "X", "aliases": "Xo"}}, "aliases a list"),
    ({"x": "X"}, "must be a table"),
])
def test_mistakes_are_clear_errors(tables, words):
    with pytest.raises(SitegenError) as e:
        cast_from_tables(tables, "work.toml")
    assert words in str(e.value) and "hint:" in str(e.value)
