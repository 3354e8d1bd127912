"""The events stage's data files: the cue lexicon and the actor rule table load, and a broken
edit names the file and the line."""
from __future__ import annotations

import pytest

from sitroom.acled import EVENT_TYPES, SUB_EVENT_TYPES
from sitroom.errors import DataFileError
from sitroom.stages.events import cues, who

GOOD_RULE = '''
[[rule]]
step = "actor1_first"
why = "one party is actor1"
'''


def _rules(tmp_path, text: str):
    path = tmp_path / "actor_rules.toml"
    path.write_text(text, encoding="utf-8")
    return who.actor_rules(str(path))


def test_events_actor_rules_packaged_table_is_valid():
    rules = who.actor_rules()
    assert rules and all(r.step in who.STEPS and r.why for r in rules)
    for r in rules:
        assert r.sub_event_types <= set(SUB_EVENT_TYPES) and r.event_types <= set(EVENT_TYPES)
        assert r.except_sub_event_types <= set(SUB_EVENT_TYPES) and r.victims <= set(who.VICTIMS)
    steps = [r.step for r in rules]
    # order is part of the table: crowds first, the perpetrator before a claim replaces it, one party last
    assert steps.index("crowd_acts") < steps.index("police_intervene") < steps.index("mob_victims")
    assert steps.index("unidentified_perpetrator") < steps.index("claimed_responsibility") < steps.index("suspected_group")
    assert steps[-1] == "actor1_first"


def test_events_actor_rules_every_step_is_used():
    assert {r.step for r in who.actor_rules()} == set(who.STEPS)


@pytest.mark.parametrize("rule, problem", [
    ('step = "no_such_step"\nwhy = "x"', "unknown step"),
    ('step = "actor1_first"', "no 'why'"),
    ('step = "actor1_first"\nwhy = "x"\nsub_event_types = ["Riot"]', "sub_event_types holds unknown names"),
    ('step = "actor1_first"\nwhy = "x"\nevent_types = ["Wars"]', "event_types holds unknown names"),
    ('step = "actor1_first"\nwhy = "x"\nvictims = ["soldiers"]', "victims holds unknown names"),
    ('step = "actor1_first"\nwhy = "x"\nwho = "everyone"', "unknown keys"),
    ('step = "crowd_acts"\nwhy = "x"', "actor1 missing"),
    ('step = "actor1_first"\nwhy = "x"\nactor2 = "police"', "actor2 not used by this step"),
    ('step = "crowd_acts"\nwhy = "x"\nactor1 = "dancers"', "'dancers' is not a role"),
    ('step = "actor1_first"\nwhy = "x"\nunidentified = "yes"', "unidentified is not true/false"),
])
def test_events_actor_rules_broken_rule_names_file_and_line(tmp_path, rule, problem):
    with pytest.raises(DataFileError, match=problem) as err:
        _rules(tmp_path, GOOD_RULE + "\n[[rule]]\n" + rule + "\n")
    assert err.value.path.endswith("actor_rules.toml")
    assert err.value.line == 6  # the second [[rule]] header


def test_events_actor_rules_toml_syntax_error_names_line(tmp_path):
    with pytest.raises(DataFileError) as err:
        _rules(tmp_path, GOOD_RULE + '\n[[rule]]\nstep = "actor1_first\n')
    assert err.value.line == 7


def test_events_actor_rules_empty_table(tmp_path):
    with pytest.raises(DataFileError, match="no \\[\\[rule\\]\\] tables"):
        _rules(tmp_path, "# nothing\n")


@pytest.mark.parametrize("text, line, problem", [
    ("# header\nprotest*\n", 2, "pattern before any \\[GROUP\\]"),
    ("[PROTEST]\nprotest*\nmarch* | heavy\n", 3, "weight 'heavy' is not a number"),
    ("[PROTEST]\n\n# a comment\nprotest(ers\n", 4, "not a valid pattern"),
])
def test_events_cue_file_broken_line_names_file_and_line(tmp_path, text, line, problem):
    path = tmp_path / "cues.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem) as err:
        cues.load_cues(str(path))
    assert err.value.line == line and err.value.path == str(path)


def test_events_cue_file_weights_and_groups(tmp_path):
    path = tmp_path / "cues.txt"
    path.write_text("[PROTEST]\nprotest*\nmarch* | 0.5\n[RIOT]\nriot*\n", encoding="utf-8")
    lexicon = cues.load_cues(str(path))
    assert [w for _, w in lexicon["PROTEST"]] == [1.0, 0.5] and len(lexicon["RIOT"]) == 1
    assert lexicon["PROTEST"][1][0].search("they marched on Monday")
