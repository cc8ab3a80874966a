"""Speech tags before a quote (dialogue/tags.py): the subject of the verb of saying, also when the
verb closes a predicate of its own ("Bo, much annoyed, put down his cup, and said,")."""
from sitegen.dialogue.tags import tag_after, tag_before


def subject(narration: str) -> str | None:
    tag = tag_before(narration, 0, len(narration))
    return tag.subject if tag else None


def subject_after(narration: str) -> str | None:
    """The subject of a tag at the start of the narration after a quote."""
    tag = tag_after(narration, 0, len(narration))
    return tag.subject if tag else None


def test_a_coordinated_verb_of_saying_takes_the_sentence_subject_not_an_object():
    assert subject("Ana waited; but Mr. Lind, much annoyed, put down his cup, and said,") == "Mr. Lind"
    assert subject("Bo looked as if he had not heard her, but said only, coolly,") == "Bo"
    assert subject("Ana saw that his whole mind was elsewhere; and gently taking her hand, said in reply,") == "Ana"
    assert subject("Bo was pleased; and with a solemn little bow replied,") == "Bo"
    assert subject("But Bo went into a corner of the room and said quietly to himself, ") == "Bo"
    assert subject("--Even Mrs. Reyes shook her head, and looked grave, and said, ") == "Mrs. Reyes"


def test_a_subject_of_a_subordinate_clause_or_after_a_preposition_is_not_the_speaker():
    assert subject("While Ana and Cy were talking together, Bo finished his tea and said: ") == "Bo"
    assert subject("She turned to Bo and said, ") == "She"
    assert subject("Ana looked at Bo, who smiled and said,") == "Bo"


def test_plain_tags_still_read_as_before():
    assert subject("Bo smiled at her, then said, ") == "Bo"
    assert subject("Ana followed him, saying,") == "Ana"
    assert subject("as Bo said, ") == "Bo"
    assert subject("Ana stood up and looked round the room at each of them in turn:") is None


def test_the_verb_of_saying_nearest_the_quote_tags_it():
    assert subject("Ana answered, so eagerly that the old man said, in a hurt tone, ") == "the old man"
    assert subject("Ana stopped at once, for the Captain cried out, ") == "the Captain"


def test_a_relative_clause_speaks_for_its_antecedent():
    assert subject("She argued with the Parrot, who at last grew cross, and would only say, ") == "the Parrot"
    assert subject("Bo looked anxiously at the Clerk, who said in a low voice, ") == "the Clerk"
    assert subject("At that moment Seven, who had been watching the gate, called out ") == "Seven"
    assert subject("Very soon the Hare noticed Ana, as she went past, and called out to her, ") == "the Hare"
    assert subject("She opened the door, and met Cy in the landing place, who, breathless, cried out,") == "Cy"
    assert subject("She opened the door, and met Cy in the hall, who, breathless, cried out,") == "Cy"


def test_a_subject_in_a_relative_clause_about_something_else_is_no_tag():
    assert subject("--replied Ana--quite struck by the tired manner in which\nhe still spoke--") is None
    assert subject("Harry rolled his eyes as Ron said, ") == "Ron"


def test_the_agent_of_a_gerund_or_an_infinitive_speaks():
    assert subject("But she never left without Mr. Lind's giving a sigh, and saying, ") == "Mr. Lind"
    assert subject("till roused by Miss Reyes's saying, ") == "Miss Reyes"
    assert subject("or of courage and opportunity for Bo Lind to draw near her and say, ") == "Bo Lind"
    assert subject("They looked it over together.--Ana took the chance of whispering, ") == "Ana"


def test_a_speech_named_as_someone_s_words_after_the_quote():
    assert subject_after(' was Mr. Lind\'s quick amendment; and so it ended.') == "Mr. Lind"
    assert subject_after(' were Captain Reyes\'s words, and they were strong.') == "Captain Reyes"
    assert subject_after(' was Ana\'s final\nsumming up. "Mrs. Lind says') == "Ana"
    assert subject_after(' was all Bo\'s fault.') is None


def test_the_one_heard_speaks_not_the_hearer():
    assert subject("After a while they moved again, and Ana heard the Hare say, ") == "the Hare"
    assert subject("nor without her overhearing Mr. Lind whisper to his wife, ") == "Mr. Lind"


def test_a_paragraph_that_ends_announcing_speech_tags_the_next_quote():
    from sitegen.dialogue.tags import announcing

    def who(text):
        tag = announcing(text, 0, len(text))
        return tag.subject if tag else None
    assert who("Ana and Cy walked off, and as soon as they were gone Mr. Bell began.") == "Mr. Bell"
    assert who("A short pause followed this speech, and Mrs. Reyes began again.") == "Mrs. Reyes"
    assert who("Cy it was who spoke up stoutly.") == "Cy"
    assert who("He smiled, and assured her that whatever she wished him to say should be said.") is None
    assert who("Bo laughed at the joke for a long time and then went home.") is None
    assert who("Ana looked at him.") is None


def test_an_object_after_at_is_no_subject():
    assert subject("Diana, going to the gable, where Anne was standing at her window, said gently:") == "Diana"


def test_a_lead_in_s_shape_names_the_speaker_whatever_its_verb():
    # the agent of a passive at the clause's end speaks
    assert subject("Ana was reading by the fire, when thus interrupted by Mr. Lind,") == "Mr. Lind"
    assert subject("She had hardly sat down before she was hailed by Cy:") == "Cy"
    # the subject whose act the speech is "with" or "by saying" speaks, not its object
    assert subject("and then--for Bo immediately hailed her with,") == "Bo"
    assert subject("Ana greeted the twins with:") == "Ana"
    assert subject("she had barely sat down, when Mr. Lind surprised her, by saying,") == "Mr. Lind"
    # a passive subject, or one after a preposition, is not the one who speaks
    assert subject("The twins were greeted with,") is None
    assert subject("She smiled at Bo, who was met with,") is None


def test_a_verb_that_says_only_with_its_particle_is_an_action_without_it():
    for action in (" and the King put on his spectacles.", " Bo went downstairs.", " Ana shot him a look."):
        assert tag_after(action, 0, len(action)) is None
    for said in (", the King put in.", " Bo went on.", " Ana shot back."):
        assert tag_after(said, 0, len(said)) is not None
    assert subject("As I went down the stairs I heard Bo singing,") == "Bo"


def test_who_hears_the_words_said_is_not_their_speaker():
    assert subject("he was silent; but Ana heard him almost immediately afterwards say to himself, ") is None
    assert subject("and Ana heard her saying in the same half-whisper to Bo, ") is None
    assert subject("one more.\" And Mr. Lind was heard to say, ") == "Mr. Lind"


def test_an_indefinite_subject_with_a_name_speaks():
    assert subject("Cy said nothing; and an old Crab took the opportunity of saying to her daughter ") == "an old Crab"
    assert subject("Some of the birds hurried off at once: one old Magpie began wrapping itself up very carefully, "
                   "remarking, ") == "one old Magpie"
    assert subject_after(" a boy that Bo thought was called Cy said disdainfully.") is None    # not "a boy that Bo"


def test_one_given_the_time_or_the_chance_to_say_speaks():
    assert subject("Ana was quite silent for a minute or two, which gave the Pigeon the opportunity of adding, ") \
        == "the Pigeon"
    assert subject("Mr. Lind was in sight; and so near as to give Ana time only to say farther,") == "Ana"
    assert subject("a loud squawk woke the Piglet up and just gave him time to jerk himself back into safety "
                   "and say, ") == "he"
    # the verb of saying must be the one given time for, not a later clause's
    assert subject("She would not give him time to reply, but hurrying instantly to her husband, called out,") \
        == "She"


def test_an_object_is_passed_over_whole():
    assert subject("he took the jar back to Bo, and Bo looked up from the bottom of his Very Deep Pit, "
                   "and said, ") == "Bo"
    assert subject("she sat with Lady Anne Lind, and said, ") == "she"


def test_a_quote_named_as_a_cry_from_someone_is_theirs():
    assert subject_after(' from the Gryphon, and the constant heavy sobbing of the Mock Turtle.') == "the Gryphon"
    assert subject_after(' from Bo.') == "Bo"
    assert subject_after(' from the other room.') is None
