"""Barrier suggestions: the engine, the lexicon, the `suggest` command and a quality floor.

The example sentences here are written for these tests; none is taken from the labelled set.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.suggest_quality import evaluate_splits, load_lines
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconnect_journal.cli import app
from reconnect_journal.core.barriers import BARRIER_KEYS, Barrier
from reconnect_journal.core.care import REFRAME_NOTE, REFRAME_TITLE, SUPPORT_TITLE, support_note
from reconnect_journal.core.suggestions import (
    Lexicon,
    LexiconError,
    SuggestionReport,
    load_lexicon,
    suggest_barriers,
)

runner = CliRunner()


def keys(text: str) -> list[str]:
    return suggest_barriers(text).keys


def evidence(report: SuggestionReport, barrier: str) -> list[str]:
    [found] = [s for s in report.barriers if s.barrier.value == barrier]
    return [e.phrase for e in found.evidence]


# -- what is suggested -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "barrier"),
    [
        ("I felt so ashamed when he saw me undressed.", "shame"),
        ("I still resent him for the way he spoke to my mum.", "resentment"),
        ("I don't trust her since the texts.", "trust"),
        ("Most evenings I feel unheard in this marriage.", "unseen"),
        ("The grief comes back every time we drive past the hospital.", "grief"),
    ],
)
def test_the_barrier_named_outright(text: str, barrier: str) -> None:
    assert keys(text) == [barrier]


@pytest.mark.parametrize(
    ("text", "barrier"),
    [
        # the brief's own examples of phrasings without a keyword
        ("He looked at his phone the whole time I was talking.", "unseen"),
        ("It would have been mum's birthday today.", "grief"),
        ("Last night I went through her messages.", "trust"),
        ("I did bedtime alone again.", "resentment"),
        ("I turned the light off before undressing.", "shame"),
        # more of the same kind
        ("She changed her phone password and won't say why.", "trust"),
        ("I keep my T-shirt on during sex now.", "shame"),
        ("Talking to him is like talking to a brick wall.", "unseen"),
        ("Mum's been gone two years and I still set a place for her.", "grief"),
        ("It's always me who gives in; I'm tired of being the one who says sorry.", "resentment"),
        ("First Christmas without Dad. I couldn't let anyone hold me.", "grief"),
        ("I told her about my new job and she replied with a thumbs up.", "unseen"),
    ],
)  # fmt: skip
def test_indirect_phrasings_need_no_keyword(text: str, barrier: str) -> None:
    assert barrier in keys(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't feel ashamed anymore.",
        "I don't feel ashamed of my body anymore; swimming helped.",
        "I no longer resent him for the move.",
        "There's no resentment left about the holiday.",
        "I'm not angry with her about the car anymore.",
        "For once I didn't feel unheard: he put the phone away and listened.",
        "I used to check his phone; I haven't in a year.",
        "Nothing shameful about wanting more, I told myself.",
        "We talked about the affair in counselling and it finally feels behind us.",
    ],
)
def test_negated_or_settled_barriers_are_not_suggested(text: str) -> None:
    assert keys(text) == []


def test_a_negated_word_does_not_hide_what_the_rest_shows() -> None:
    report = suggest_barriers("I'm not ashamed, I just keep the lights off. That's different.")
    assert report.keys == ["shame"]
    assert evidence(report, "shame") == ["keep the lights off"]


def test_negation_reaches_only_a_few_words_back_within_the_clause() -> None:
    # "not" belongs to another clause, so it does not cancel "ashamed"
    assert keys("It was not a good night, and I felt ashamed of my body.") == ["shame"]
    # "can't stop" does not negate what follows
    assert keys("I can't stop checking his location.") == ["trust"]


def test_a_softener_weakens_a_cue() -> None:
    assert keys("With him I feel self-conscious in bed.") == ["shame"]
    assert keys("With him I feel a bit self-conscious in bed.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Grandad left us a trust fund; the paperwork came today.",
        "We did trust falls at the team day and laughed about it at home.",
        "I'm running a grief counselling course at work next week.",
        "What a shame about the score, three-nil at home. We sulked together.",
        "We watched unseen footage of the band and sang along.",
        "Felt gloriously invisible at the gym tonight, exactly what I wanted.",
        "Had a lie-in and then we lay in bed reading.",
        "The group chat with my sisters is called the resentment-free zone.",
    ],
)
def test_barrier_words_in_other_senses_do_not_count(text: str) -> None:
    assert keys(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Our neighbour keeps parking on our drive. I've started to resent the man.",
        "I don't trust the new mechanic at all.",
        "My boss ignored my email again. Ravi made me tea and it helped.",
        "A colleague's father died; I went to the funeral though I barely knew him.",
        "Watched a film about a woman grieving her husband.",
        "I resent Mondays. That's all.",
        "Ashamed of how much chocolate I ate at the cinema, ha.",
    ],
)
def test_feelings_about_someone_else_or_nothing_much_do_not_count(text: str) -> None:
    assert keys(text) == []


@pytest.mark.parametrize(
    ("text", "barrier"),
    [
        # behaviour and situation, no barrier word (written for these tests)
        ("She's started locking her laptop and leaving it face down on the table.", "trust"),
        ("He said he was at his brother's, but his brother posted from a stag do.", "trust"),
        ("I told him about the biopsy; he said 'I'm sure it's nothing' and went back to the match.",
         "unseen"),
        ("Sent her a photo of my first loaf. No reply, but she liked a meme an hour later.",
         "unseen"),
        ("Since the birth I wait until he's in the shower to get changed.", "shame"),
        ("I'd rather say I'm tired every night than tell her what's actually wrong.", "shame"),
        ("I keep a mental list of every evening he's spent at the pub this month.", "resentment"),
        ("We had to have Bonnie put to sleep on Friday and the house is too quiet.", "grief"),
        # from a wording review, once missed
        ("Whenever we talk about money I feel like a failure next to her.", "shame"),
        ("She keeps promising to cut down on the drinking and then doesn't.", "trust"),
    ],
)  # fmt: skip
def test_general_cues_reach_new_phrasings(text: str, barrier: str) -> None:
    assert keys(text) == [barrier]


@pytest.mark.parametrize(
    "text",
    [
        # the partner as a comfort after trouble with someone else
        "My boss took the credit for my report. I resent her so much. Sam let me rant; it helped.",
        "My sister still owes me money and I'm stewing about it. Jo says to let it go.",
        # the sentence after one about someone else is still about them
        "My boss took the credit for my report. I resent her so much.",
    ],
)  # fmt: skip
def test_trouble_outside_the_couple_with_the_partner_as_support(text: str) -> None:
    assert keys(text) == []


def test_ordinary_good_days_and_logistics_get_nothing() -> None:
    for text in (
        "Fell asleep holding hands on the sofa.",
        "Dentist for both kids on Wednesday; insurance letter somewhere.",
        "We argued about the thermostat, then made up over tea.",
        "He asked how my day was and actually listened. Nice.",
        "He was on his phone booking the restaurant while I got ready. Lovely dinner.",
        "Kept the receipt for the lamp in case it doesn't fit.",
        "We sat with the laptop booking flights and laughed a lot.",
        "Tariq and I sulked together about the score.",
    ):
        assert keys(text) == [], text


# -- stemming and word boundaries ------------------------------------------------


@pytest.mark.parametrize("word", ["resent", "resented", "resentful", "resentment", "resents"])
def test_stemming_reaches_every_form_of_resent(word: str) -> None:
    assert keys(f"Honestly I {word} him for it, and it sits between us.") == ["resentment"]


@pytest.mark.parametrize(
    ("text", "barrier"),
    [
        ("I felt such shame when he touched me.", "shame"),
        ("I was so ashamed when he touched me.", "shame"),
        ("Everything about us feels shameful to me.", "shame"),
        ("I distrust everything he says.", "trust"),
        ("I'm distrustful of her since the summer.", "trust"),
        ("We're grieving the baby we lost.", "grief"),
        ("She's still mourning her dad and pulls away from me.", "grief"),
    ],
)
def test_stemming_and_prefixes(text: str, barrier: str) -> None:
    assert keys(text) == [barrier]


def test_trusting_someone_is_not_a_loss_of_trust() -> None:
    assert keys("I trust him completely, and trusting him feels easy.") == []
    assert keys("Trusting her feels dangerous after last year.") == ["trust"]


def test_words_match_whole_words_only() -> None:
    lexicon = load_lexicon()
    stem = lexicon.stemmer.stem
    # a barrier word inside another word is not that word
    assert keys("We gave him a present and watched the presentation.") == []
    assert keys("She found the old sham wedding photos from the play, and we laughed.") == []
    assert stem("unashamed") != stem("shame")
    assert keys("I feel unashamed and free with him.") == []
    assert stem("resentment") == stem("resent") == stem("resentful")


# -- evidence --------------------------------------------------------------------


def test_evidence_spans_point_into_the_original_text() -> None:
    text = (
        "He’s on his phone the whole time I’m talking. I did bedtime alone again, "
        "and I still can’t let it go."
    )  # curly apostrophes on purpose
    report = suggest_barriers(text)
    assert set(report.keys) == {"unseen", "resentment"}
    for suggestion in report.barriers:
        assert suggestion.evidence
        for e in suggestion.evidence:
            assert text[e.start : e.end] == e.phrase
        starts = [e.start for e in suggestion.evidence]
        assert starts == sorted(starts)
    assert "can’t let it go" in evidence(report, "resentment")


def test_suggestions_are_sorted_by_score_with_scores_between_0_and_1() -> None:
    report = suggest_barriers(
        "I'm so ashamed of my body that I undress in the dark, and I resent him a bit too."
    )
    scores = [s.score for s in report.barriers]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert report.barriers[0].barrier is Barrier.SHAME


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gives_a_well_formed_report(text: str) -> None:
    report = suggest_barriers(text)
    assert len(report.barriers) <= 2
    for suggestion in report.barriers:
        assert 0.5 <= suggestion.score <= 1
        for e in suggestion.evidence:
            assert 0 <= e.start < e.end <= len(text)
            assert text[e.start : e.end] == e.phrase
    json.dumps(report.to_json())


# -- novelty and the support note ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We need to spice things up. Thinking lingerie and a hotel night.",
        "Ordered a few toys online. That should get us out of this rut.",
        "Idea: role play night, costumes and everything. Bring the fun back.",
        "Booked a cabin with a hot tub for our anniversary. Exactly what we need.",
        "Date night every Friday from now on. That'll fix the dry spell.",
    ],
)
def test_novelty_as_the_answer(text: str) -> None:
    report = suggest_barriers(text)
    assert report.novelty_focus
    assert report.novelty_evidence


@pytest.mark.parametrize(
    "text",
    [
        "Date nights didn't help. We need to actually talk about the miscarriage.",
        "We went away for the weekend and talked more than we have in months.",
        "Tried the lingerie. He said I looked great but we still didn't really connect.",
        "I don't think a holiday will fix this. What I need is for him to listen.",
        "Booked the car in for a service and paid the gas bill.",
        "Bought the kids some new toys for the garden.",
    ],
)
def test_novelty_that_is_questioned_or_absent_is_not_the_focus(text: str) -> None:
    assert not suggest_barriers(text).novelty_focus


@pytest.mark.parametrize(
    "text",
    [
        "he hit me",
        "He hit me last night and said it was my fault.",
        "she forces me",
        "She forces me to do things I don't want to in bed.",
        "I want to hurt myself",
        "I've been cutting again",
        "He threatened to take the kids if I leave.",
        "He has threatened to leave me with nothing.",
        "I'm scared of what he'll do when he finds out.",
        "He pushed me against the wall.",
        "Some days I think they'd be better off without me.",
        "He raped me when we were together.",
    ],
)
def test_the_support_note_shows_for_clear_mentions(text: str) -> None:
    report = suggest_barriers(text)
    assert report.support_note
    assert report.support_evidence


@pytest.mark.parametrize(
    "text",
    [
        "this hurts my feelings",
        "Hit the gym, then a long walk with Kim.",
        "It hit me that we haven't kissed in weeks.",
        "He's not going to know what hit him when he sees the new dress.",
        "Cutting carbs again, and he's joining me.",
        "She beat me at chess again, gracious as ever.",
        "We hit it off with the new neighbours.",
        "I was killing myself laughing at his dad's jokes.",
    ],
)
def test_the_support_note_stays_away_from_ordinary_words(text: str) -> None:
    assert not suggest_barriers(text).support_note


# Common ways of saying it that the note once missed (a tester's list, then its neighbours):
# every verb form of self-harm, wishing to be dead, a partner who pushes or hits, and control
# over money, phone and people. Each line names a phrase the evidence should hold.
@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Sometimes I think about hurting myself", "hurting myself"),
        ("I keep hurting myself", "hurting myself"),
        ("harming myself again", "harming myself"),
        ("I cut myself after the argument.", "cut myself"),
        ("I want to kill myself.", "kill myself"),
        ("Some nights I want to end it all.", "end it all"),
        ("I wish I were dead", "wish I were dead"),
        ("Honestly I wish I was dead some days.", "wish I was dead"),
        ("I don’t want to be here anymore.", "don’t want to be here"),
        ("i dont want to be alive", "dont want to be alive"),
        ("he pushed me", "he pushed me"),
        ("she pushed me", "she pushed me"),
        ("He pushed me, then said I made him do it.", "He pushed me"),
        ("My husband pushed me and I fell.", "My husband pushed me"),
        ("My wife slapped me.", "My wife slapped me"),
        ("My partner choked me during the fight.", "My partner choked me"),
        ("They shoved me out of the way.", "They shoved me"),
        ("He grabbed me by the arm.", "He grabbed me"),
        ("My boyfriend threatened me.", "threatened"),
        ("he controls all our money and checks my phone", "controls all our money"),
        ("he controls all our money and checks my phone", "checks my phone"),
        ("She goes through my phone while I sleep.", "goes through my phone"),
        ("He's always checking my phone.", "He's always checking my phone"),
        ("He won't let me see my friends.", "let me see"),
        ("She doesn't let me see my family any more.", "let me see my"),
        ("He stops me from seeing my friends.", "stops me from seeing my friends"),
        ("I'm afraid of her.", "afraid of her"),
        ("I'm scared of what he'll do.", "scared of what he'll do"),
        ("Last night I took too many pills.", "took too many pills"),
        ("I nearly overdosed in the spring.", "overdosed"),
        ("He physically hurt me last night.", "physically hurt me"),
        ("She hurt me physically, and not for the first time.", "hurt me physically"),
        ("My husband attacked me in the kitchen.", "My husband attacked me"),
        ("He left bruises on my arm.", "left bruises on my"),
        ("She hit me with the belt.", "She hit me"),
    ],
)
def test_the_support_note_shows_for_common_phrasings(text: str, phrase: str) -> None:
    report = suggest_barriers(text)
    assert report.support_note
    found = [e.phrase for e in report.support_evidence]
    assert any(phrase in f for f in found), found


# A reviewer's list of clear danger the note missed: fear of a partner who throws things,
# hands around the neck, not being safe with someone, and "hurt me" with a body word, "last
# night" or "again" (hurt in the body, not feelings).
@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("When he gets angry he throws things and I'm frightened.", "throws things"),
        ("He put his hands around my neck.", "hands around my neck"),
        ("She had her hands round my throat.", "hands round my throat"),
        ("I'm not safe with him.", "not safe with him"),
        ("I don't feel safe around her any more.", "safe around her"),
        ("She hurt me again last night, my arm is still sore.", "hurt me again"),
        ("He hurt me last night. I don't want to write more.", "hurt me last night"),
        ("He hurt my wrist when he twisted it.", "hurt my wrist"),
        ("He grabbed my wrist so hard it left a mark.", "grabbed my wrist so hard"),
        ("She grabbed my hair and pulled.", "grabbed my hair and pulled"),
        ("He grabbed my arm and twisted it.", "grabbed my arm and twisted"),
        ("He shoved me into the door last night and I have a bruise on my arm.", "shoved me"),
    ],
)
def test_the_support_note_shows_for_danger_it_once_missed(text: str, phrase: str) -> None:
    report = suggest_barriers(text)
    assert report.support_note
    found = [e.phrase for e in report.support_evidence]
    assert any(phrase in f for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "He pushed me against the wall.",
        "Sometimes I think about hurting myself.",
        "He hit me again, and some nights I want to end it all.",
        "He grabbed my hand and we danced in the kitchen.",
        "Not safe with Sam.",
        "Soup for dinner, early night.",
    ],
)
def test_support_kinds_alone_agree_with_the_full_reading(text: str) -> None:
    """What `add` and `edit` use (the support cues alone) says what `suggest` says."""
    import reconnect_journal.core.suggestions as suggestions

    expected = suggest_barriers(text).support_kinds
    assert suggestions.support_kinds(text) == expected
    cached = suggestions._cached
    suggestions._cached = None  # as in a command that has not loaded the lexicon
    try:
        assert suggestions.support_kinds(text) == expected
    finally:
        suggestions._cached = cached


def test_a_sore_arm_after_being_hurt_is_not_read_as_resentment() -> None:
    report = suggest_barriers("She hurt me again last night, my arm is still sore.")
    assert report.support_note
    assert "resentment" not in report.keys, report.to_json()["barriers"]


@pytest.mark.parametrize(
    "text",
    [
        "he pushed me to try harder",
        "She pushed me to apply for the job, and I'm glad.",
        "He pushed me on the swing like we were kids.",
        "She pushed me away when I tried to talk about it.",
        "I hit the gym before work.",
        "she checks in on me every lunchtime",
        "He checks my phone bill for me because I forget.",
        "it hurt my feelings",
        "dead tired after the school run",
        "I could kill for a coffee",
        "I'm so tired I could die.",
        "I cut myself a slice of cake.",
        "I cut myself shaving.",
        "I burned myself on the oven.",
        "She grabbed me a coffee on the way home.",
        "He threw me a surprise party.",
        "She slapped me on the back and laughed.",
        "She kicked me out of bed for snoring, ha.",
        "She hit me with the news that her mum is moving in.",
        "He hit us with a surprise question about moving abroad.",
        "He hurt me when he forgot our anniversary.",
        "He attacked me for forgetting the bins, and I snapped back.",
        "He controls the remote, as always.",
        "I'm afraid of losing her.",
        "I'm scared of what he'll think of the haircut.",
        "I wish I were braver about asking for what I want.",
        "I don't want to be here at the in-laws again.",
        "I don't want to live in this town forever.",
        "He never lets me have the last word.",
        "She won't let me talk to her about it.",
        "The sadness still hits me whenever we pass the old house.",
        "I took my pills with breakfast as usual.",
        "The doctor changed my medication and I feel calmer.",
        # tender or ordinary moments (a reviewer's list): "grabbed" without force, news
        # that "hit me hard", and dying of embarrassment
        "He grabbed my hand and we danced in the kitchen.",
        "She grabbed my phone to show me a funny video.",
        "She grabbed my arm to stop me stepping into the road.",
        "He grabbed my hand and pulled me onto the dance floor.",
        "The news of his promotion really hit me hard.",
        "Losing the dog hit me hard this week.",
        "I want to die of embarrassment when she tells that story.",
        "I wanted to die of shame when he said it at dinner.",
        "I don't feel safe with him driving in the snow.",
        "It hurt me last night when he turned away.",
    ],
)
def test_the_support_note_stays_away_from_everyday_senses(text: str) -> None:
    report = suggest_barriers(text)
    assert not report.support_note, [e.phrase for e in report.support_evidence]


# -- the lexicon -----------------------------------------------------------------


def test_the_packaged_lexicon_is_versioned_and_covers_every_barrier() -> None:
    lexicon = load_lexicon()
    assert lexicon.version >= 1
    groups = {t.group for ts in lexicon.terms.values() for t in ts}
    groups |= {p.group for p in lexicon.patterns}
    assert set(BARRIER_KEYS) | {"novelty", "connection"} <= groups
    assert load_lexicon() is lexicon  # read once


def test_a_bad_lexicon_is_refused_with_a_clear_message() -> None:
    base = "version = 1\n[barrier.shame]\n[barrier.resentment]\n[barrier.trust]\n[barrier.unseen]\n"
    with pytest.raises(LexiconError, match=re.escape("no [barrier.grief]")):
        Lexicon.from_toml(base)
    full = base + "[barrier.grief]\n"
    assert Lexicon.from_toml(full).version == 1
    with pytest.raises(LexiconError, match="bad pattern in grief"):
        Lexicon.from_toml(full + "[barrier.grief.patterns]\n'(unclosed' = 0.5\n")
    with pytest.raises(LexiconError, match="must be a number"):
        Lexicon.from_toml(full + '[barrier.grief.terms]\n"loss" = 2\n')
    with pytest.raises(LexiconError, match="integer 'version'"):
        Lexicon.from_toml("[barrier.shame]\n")
    with pytest.raises(LexiconError, match="unknown barrier"):
        Lexicon.from_toml(full + "[barrier.boredom]\n")


def _custom(extra: str) -> Lexicon:
    text = "version = 3\n[settings]\nnear_window = 3\n"
    text += '[negation]\ncues = ["not", "never", "havent", "dont"]\n'
    text += "".join(f"[barrier.{k}]\n" for k in BARRIER_KEYS) + extra
    return Lexicon.from_toml(text)


def test_a_near_cue_matches_both_parts_in_either_order_within_a_sentence() -> None:
    lexicon = _custom('[barrier.trust.near]\n"laptop|phone ~ snapped shut|face down" = 0.8\n')
    for text in (
        "The laptop snapped shut when I came in.",
        "Face down, as always, her phone.",
        "His phone is face down again.",
    ):
        report = suggest_barriers(text, lexicon)
        assert report.keys == ["trust"], text
        [e] = report.barriers[0].evidence
        assert text[e.start : e.end] == e.phrase
    # too far apart, or in different sentences
    assert suggest_barriers("The laptop was old and slow, then snapped shut.", lexicon).keys == []
    assert suggest_barriers("I lost my phone. The box lay face down.", lexicon).keys == []
    # a negation before the cue, or between its parts, drops it
    assert suggest_barriers("I haven't seen her phone face down since.", lexicon).keys == []
    assert suggest_barriers("Her phone is never face down.", lexicon).keys == []
    with pytest.raises(LexiconError, match="needs the form 'A ~ B'"):
        _custom('[barrier.trust.near]\n"laptop snapped shut" = 0.8\n')


def test_words_that_are_never_names_are_not_taken_for_the_partner() -> None:
    extra = '[macros]\nname = "(?-i:[A-Z][a-z]+)"\n[context]\nnot_names = ["Then"]\n'
    extra += "[barrier.resentment.patterns]\n'{name} snapped at me' = 0.9\n"
    lexicon = _custom(extra)
    assert suggest_barriers("Later Sam snapped at me.", lexicon).keys == ["resentment"]
    text = "Then snapped at me, the lid did. Silly box."
    report = suggest_barriers(text, lexicon)
    assert report.keys == []


def test_a_phrase_said_twice_counts_once() -> None:
    lexicon = _custom('[barrier.unseen.terms]\n"shrugged" = 0.3\n')
    assert suggest_barriers("He shrugged. Then he shrugged again.", lexicon).keys == []
    lexicon = _custom('[barrier.unseen.terms]\n"shrugged" = 0.3\n"grunted" = 0.3\n')
    assert suggest_barriers("He shrugged. Then he grunted.", lexicon).keys == ["unseen"]


def test_a_custom_lexicon_can_be_used() -> None:
    text = "version = 2\n" + "".join(f"[barrier.{k}]\n" for k in BARRIER_KEYS)
    text += '[barrier.grief.own_words]\n"sorrow" = 0.9\n'
    report = suggest_barriers("Such sorrow in me since she left us.", Lexicon.from_toml(text))
    assert report.keys == ["grief"]
    assert report.lexicon_version == 2


def test_importing_is_light_and_the_lexicon_loads_lazily() -> None:
    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "import reconnect_journal.core.suggestions as s\n"
        "took = time.perf_counter() - t\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlalchemy', 'sqlmodel', 'typer', 'rich', 'tomllib', 'alembic'))\n"
        "print(took, heavy, s._cached is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    took, rest = out.stdout.split(" ", 1)
    assert rest.strip() == "[] True"
    # the target is 50 ms; this bound only catches a heavy import creeping in
    assert float(took) < 0.25


# -- the command line ------------------------------------------------------------


def test_suggest_json_shape(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    text = "He looked at his phone the whole time I was talking, and I did bedtime alone again."
    result = runner.invoke(app, ["--db", str(db), "suggest", "--json", text])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"barriers", "novelty_focus", "support_note"} <= set(data)
    assert isinstance(data["novelty_focus"], bool)
    assert isinstance(data["support_note"], bool)
    assert {b["barrier"] for b in data["barriers"]} == {"unseen", "resentment"}
    scores = [b["score"] for b in data["barriers"]]
    assert scores == sorted(scores, reverse=True)
    for b in data["barriers"]:
        assert b["barrier"] in BARRIER_KEYS
        assert 0 <= b["score"] <= 1
        assert b["evidence"] and all(isinstance(p, str) and p in text for p in b["evidence"])
        assert [text[s:e] for s, e in b["spans"]] == b["evidence"]
    assert not db.exists()  # no journal is opened, let alone created


def test_suggest_reads_stdin_and_prints_plain_text() -> None:
    result = runner.invoke(app, ["suggest", "-"], input="I checked her messages again last night.")
    assert result.exit_code == 0
    assert re.match(r"^Loss of trust  0\.\d\d  “checked her messages”$", result.stdout.strip())


def test_suggest_says_so_calmly_when_nothing_stands_out() -> None:
    result = runner.invoke(app, ["suggest", "Soup", "for", "dinner,", "early", "night."])
    assert result.exit_code == 0
    assert result.stdout.strip() == "No barrier stood out in this text."


def test_suggest_prints_the_notes_in_words() -> None:
    result = runner.invoke(app, ["suggest", "Bought lingerie and a hotel night. That will fix it."])
    assert REFRAME_TITLE in result.stdout and REFRAME_NOTE in result.stdout
    result = runner.invoke(app, ["suggest", "He hit me again."])
    assert SUPPORT_TITLE in result.stdout and support_note(["harm"]) in result.stdout
    result = runner.invoke(app, ["suggest", "--json", "He hit me again."])
    data = json.loads(result.stdout)
    assert data["support_note"] is True
    assert data["support_kinds"] == ["harm"]


def test_suggest_says_the_notes_as_the_window_does() -> None:
    """The same words as the window, from care.py: no alarm, no verdict."""
    result = runner.invoke(app, ["suggest", "Sometimes I think about hurting myself."])
    assert support_note(["self_harm"]) in result.stdout
    assert "by someone" not in result.stdout
    novelty = "Bought lingerie and a hotel night. That will fix it."
    for text in (novelty, "He hit me again."):
        out = runner.invoke(app, ["suggest", text]).stdout
        assert "Support note:" not in out and "reach out now" not in out
        assert "Novelty note:" not in out and "something new is the answer" not in out
    # As in the window, no note about trying new things beside the support note.
    out = runner.invoke(app, ["suggest", f"{novelty} He hit me again."]).stdout
    assert SUPPORT_TITLE in out and REFRAME_TITLE not in out


@pytest.mark.parametrize("args", [["suggest"], ["suggest", "   "], ["suggest", "-"]])
def test_suggest_without_text_is_a_usage_error(args: list[str]) -> None:
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("reconnect-journal: no text to read;")
    assert result.stderr.count("\n") == 1


# -- quality floor ---------------------------------------------------------------

# Measured on tests/data/barrier_texts.jsonl (616 lines), lexicon version 3 (see
# benchmarks/suggest_quality.py): all lines micro precision 0.972, recall 0.820, novelty F1
# 0.942; heldout lines alone 0.898, 0.598, 0.864. Each floor sits about 0.03 below, rounded
# down, so that a regression fails. Raise them when the engine gets better; never tune on
# the heldout lines to do so (tests/data/README.md).
FLOOR = {
    "all": {"precision": 0.94, "recall": 0.79, "novelty_f1": 0.91},
    "heldout": {"precision": 0.86, "recall": 0.56, "novelty_f1": 0.83},
}


def test_quality_does_not_fall_below_the_measured_floor() -> None:
    figures = evaluate_splits(load_lines(), ["all", "heldout"])
    assert figures["all"]["lines"] >= 616
    for split, floor in FLOOR.items():
        measured = figures[split]
        assert measured["micro"]["precision"] >= floor["precision"], split
        assert measured["micro"]["recall"] >= floor["recall"], split
        assert measured["novelty"]["f1"] >= floor["novelty_f1"], split


def test_evidence_is_always_whole_words() -> None:
    # A cue can match from inside a word ("s on her phone" in "She's on her phone"); what is
    # shown, and highlighted, is the words themselves.
    [unseen] = suggest_barriers("She's on her phone every time I talk about my day.").barriers
    assert unseen.evidence[0].phrase.startswith("She's on her phone")

    def inside_a_word(text: str, at: int) -> bool:
        return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")

    for line in load_lines():
        report = suggest_barriers(line.text)
        for suggestion in report.barriers:
            for evidence in suggestion.evidence:
                start, end = evidence.start, evidence.end
                assert not (inside_a_word(line.text, start - 1) and inside_a_word(line.text, start))
                assert not (inside_a_word(line.text, end - 1) and inside_a_word(line.text, end))
