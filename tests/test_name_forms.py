"""Name forms from the cast (text/names.py): how a cast member may be written in the prose."""
from __future__ import annotations

from sitegen.model import Character
from sitegen.text.names import build_index, find_mentions


def named(cast: list[Character], text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[m.start:m.end], m.ids) for m in find_mentions(build_index(cast), text)]


def test_a_describing_title_is_written_in_lower_case_before_the_name():
    cast = [Character(id="old", name="An Old Crab", aliases=("Old Crab",), pronouns="she"),
            Character(id="young", name="The Young Crab", pronouns="she"),
            Character(id="lucas", name="A Young Lucas", aliases=("Young Lucas",), pronouns="he")]
    assert named(cast, '"Hush, Ma!" said the young Crab.') == [("young Crab", ("young",))]
    assert named(cast, 'cried a young Lucas who came with his sisters') == [("young Lucas", ("lucas",))]
    assert named(cast, "and an old Crab said") == [("old Crab", ("old",))]


def test_a_role_of_something_is_called_by_its_head_noun():
    cast = [Character(id="knave", name="The Knave Of Hearts", pronouns="he"),
            Character(id="king", name="The King Of Hearts", aliases=("The King",), pronouns="he")]
    assert named(cast, '"Please your Majesty," said the Knave.') == [("Knave", ("knave",))]
    assert named(cast, "the King of Hearts and the Knave of Hearts") == [("King of Hearts", ("king",)),
                                                                         ("Knave of Hearts", ("knave",))]
