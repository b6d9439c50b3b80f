"""A sample journal for `--demo`: six weeks of one person's entries, so every screen has life.

The entries follow one believable arc: a few hard weeks that slowly turn toward small
moments of connection. Dates are relative to the day the demo is filled, so the sample
always ends today. The partner is called Sam throughout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reconnect_journal.core.barriers import Barrier
from reconnect_journal.core.model import BarrierTag, NewEntry

if TYPE_CHECKING:
    from reconnect_journal.core.entries import JournalService


@dataclass(frozen=True)
class DemoEntry:
    days_ago: int
    title: str | None
    body: str
    barriers: dict[Barrier, int] = field(default_factory=dict)
    emotional_closeness: int | None = None
    physical_intimacy: int | None = None
    starred: bool = False
    tags: tuple[str, ...] = ()


DEMO_ENTRIES: tuple[DemoEntry, ...] = (
    DemoEntry(
        days_ago=42,
        title="Two screens, one sofa",
        body=(
            "We ate in front of the TV again and then drifted to our own phones. "
            "Nothing was wrong, exactly. Nobody was upset. But I sat there thinking "
            "that I could not remember the last time Sam and I looked at each other "
            "for longer than it takes to ask about the bins.\n\n"
            "I am starting this journal because I would rather notice things than "
            "keep pretending everything is fine."
        ),
        barriers={Barrier.UNSEEN: 2},
        emotional_closeness=2,
        physical_intimacy=1,
        tags=("evenings",),
    ),
    DemoEntry(
        days_ago=40,
        title=None,
        body=(
            "Small irritation this morning that I am still carrying at lunch. I "
            "emptied the dishwasher, sorted the recycling and booked the boiler "
            "service, and none of it was mentioned. Maybe that is a small thing to "
            "want. Still, it adds up. Writing it here so I do not snap about it later "
            "over something unrelated."
        ),
        barriers={Barrier.RESENTMENT: 1},
        emotional_closeness=2,
        physical_intimacy=1,
        tags=("home",),
    ),
    DemoEntry(
        days_ago=38,
        title="Talking to the top of a head",
        body=(
            "I was telling Sam about the meeting where my manager took credit for the "
            "project I have been carrying for months. Halfway through I realised I "
            "was talking to the top of a head. Sam was scrolling, nodding in the "
            "wrong places.\n\n"
            "I stopped mid-sentence and it took a good few seconds for anyone to "
            "notice. That silence is what stung. I went to bed early and lay there "
            "feeling very far away from the person in the next room. #phones"
        ),
        barriers={Barrier.UNSEEN: 3},
        emotional_closeness=1,
        physical_intimacy=1,
        tags=("work",),
    ),
    DemoEntry(
        days_ago=38,
        title=None,
        body=(
            "Later. Sam came up and sat on the edge of the bed and said sorry, that "
            "the day had been awful and their head was somewhere else. I believe "
            "that. It does not make the earlier moment disappear, but it helps to "
            "know it was not about me being boring. I said we could talk tomorrow. "
            "I am not sure either of us will bring it up."
        ),
        barriers={Barrier.RESENTMENT: 1},
        tags=("phones",),
    ),
    DemoEntry(
        days_ago=36,
        title="That time of year",
        body=(
            "Dad's anniversary is next week. Four years. Every year I think it will "
            "be lighter and every year my body seems to know the date before I look "
            "at a calendar. I have been short with everyone.\n\n"
            "I have not told Sam how heavy it feels this time. Partly I do not want "
            "to be the sad one again. Partly I am not sure what I would ask for."
        ),
        barriers={Barrier.GRIEF: 2},
        emotional_closeness=2,
        tags=("dad",),
    ),
    DemoEntry(
        days_ago=35,
        title="Advice I did not need",
        body=(
            "Coffee with an old friend. When I hinted that things at home felt flat, "
            "the answer came fast: spice it up. New underwear, a hotel, a game, "
            "something we have never tried.\n\n"
            "I laughed and changed the subject, but on the train home it landed. It "
            "is not that we are bored of each other's bodies. It is that we have "
            "stopped feeling like a team. A hotel room would just be a nicer place "
            "to feel lonely in. Novelty is not what is missing. Closeness is.\n\n"
            "Also, I felt a bit embarrassed that it showed."
        ),
        barriers={Barrier.SHAME: 1},
        emotional_closeness=2,
        physical_intimacy=1,
        starred=True,
        tags=("friends", "insight"),
    ),
    DemoEntry(
        days_ago=32,
        title="Dad's day",
        body=(
            "Four years today. I woke up early and lay there listening to the rain "
            "and thinking about his terrible whistling.\n\n"
            "I had not said anything, but Sam remembered. There was tea by the bed "
            "and a note that just said: thinking of him, and of you. Later Sam "
            "asked if I wanted to talk about him, and I did, for almost an hour. "
            "The story about the caravan and the goat. I cried and laughed and "
            "nobody tried to fix anything.\n\n"
            "It is the closest I have felt to Sam in months. #dad"
        ),
        barriers={Barrier.GRIEF: 3},
        emotional_closeness=3,
        starred=True,
        tags=("family",),
    ),
    DemoEntry(
        days_ago=31,
        title=None,
        body=(
            "## What I actually miss\n\n"
            "After yesterday I tried to be honest with myself about what I want "
            "back. It is not really sex first. It is:\n\n"
            "- being asked a question and having the answer listened to\n"
            "- a hand on my back when I pass in the kitchen\n"
            "- laughing at the same thing at the same moment\n"
            "- feeling wanted, not scheduled\n\n"
            "Funny how the list gets quieter the further down it goes."
        ),
        tags=("reflection",),
    ),
    DemoEntry(
        days_ago=29,
        title="The calendar argument",
        body=(
            "We argued about the summer. Sam asked, quite reasonably, why I had "
            "not booked anything yet, and I heard: why have you not done your job. "
            "I said things about always being the one who plans, remembers, "
            "organises. My voice went up. Sam went quiet, which made me louder.\n\n"
            "It was not really about the summer. It was about years of me holding "
            "the family diary in my head and feeling like nobody sees that it is "
            "work."
        ),
        barriers={Barrier.RESENTMENT: 2, Barrier.UNSEEN: 1},
        emotional_closeness=2,
        physical_intimacy=1,
        tags=("arguments",),
    ),
    DemoEntry(
        days_ago=29,
        title=None,
        body=(
            "Before bed. I keep rehearsing what I should have said. The honest "
            "version is simpler than the one I shouted: I am tired, and I would "
            "like to be thanked now and then, and I would like us to share the "
            "thinking, not only the doing. None of that needs to be an attack. I "
            "want to find a calmer moment to say it."
        ),
        barriers={Barrier.RESENTMENT: 1},
        tags=("arguments",),
    ),
    DemoEntry(
        days_ago=27,
        title=None,
        body=(
            "Sam said they would be back for dinner and walked in at nine without a "
            "message. It is a small thing, and there was a real reason, a colleague "
            "in a state. What bothered me was how unsurprised I felt. I have "
            "quietly stopped counting on the small promises, and I think I stopped "
            "reaching for Sam around the same time. Those two things might be "
            "related."
        ),
        barriers={Barrier.TRUST: 2},
        emotional_closeness=2,
        physical_intimacy=1,
    ),
    DemoEntry(
        days_ago=26,
        title="Lights off",
        body=(
            "Something I have not written down anywhere. For a while now I have "
            "been avoiding being seen undressed. I change in the bathroom. When Sam "
            "reaches for me I find a reason to get up. It is not a lack of wanting. "
            "It is that I do not feel like myself in this body at the moment, and "
            "it is easier to step away than to say so.\n\n"
            "I think Sam reads it as rejection. I would probably read it the same "
            "way."
        ),
        barriers={Barrier.SHAME: 2},
        physical_intimacy=1,
        tags=("body",),
    ),
    DemoEntry(
        days_ago=24,
        title="A talk after dinner",
        body=(
            "We did the washing up together, which we never do, and instead of "
            "putting the TV on Sam said: can we talk about the other night? So we "
            "sat at the table with the last of the wine and talked properly for the "
            "first time in I do not know how long.\n\n"
            "I said the calmer version about the planning. Sam listened and did not "
            "defend. Then Sam said they had been feeling shut out for months and "
            "did not know how to knock. I had no idea. We did not solve anything. "
            "We went to bed at the same time, and that felt like a lot."
        ),
        barriers={Barrier.UNSEEN: 1},
        emotional_closeness=3,
        physical_intimacy=2,
        starred=True,
        tags=("talks",),
    ),
    DemoEntry(
        days_ago=22,
        title=None,
        body=(
            "Still thinking about 'did not know how to knock'. I have been so busy "
            "feeling unseen that I did not notice Sam standing outside the same "
            "door. It is humbling. Some of the old irritation is still there, I "
            "will not pretend otherwise, but it sits differently now that I know we "
            "were both lonely in the same house."
        ),
        barriers={Barrier.RESENTMENT: 1},
        emotional_closeness=3,
        physical_intimacy=2,
        tags=("talks",),
    ),
    DemoEntry(
        days_ago=21,
        title=None,
        body=(
            "Too tired to write much. Long day, early night. Sam made soup and left "
            "some in a flask for me. Noticing it, and noticing that a month ago I "
            "might not have, or would have filed it under the least Sam could do. "
            "That is all for tonight."
        ),
    ),
    DemoEntry(
        days_ago=20,
        title="Saying sorry first",
        body=(
            "I apologised for the summer argument. Not for what I felt, which I "
            "still think was fair, but for the way it came out, loud and as if Sam "
            "were a problem to be managed.\n\n"
            "Sam looked surprised, then said sorry too, for going silent, which "
            "apparently is what happens when Sam does not know what to say. We "
            "booked a cottage for August together, laptop between us, arguing "
            "happily about whether a hot tub counts as a necessity. #apology"
        ),
        emotional_closeness=3,
        physical_intimacy=2,
        starred=True,
        tags=("repair",),
    ),
    DemoEntry(
        days_ago=18,
        title="A small agreement",
        body=(
            "We made a deal tonight, half joking, half not:\n\n"
            "1. phones live in the kitchen after nine\n"
            "2. whoever cooks does not wash up\n"
            "3. one proper question each at dinner, not how was your day\n\n"
            "Sam's question was: what did you want to be when you were eight. Mine "
            "was a vet. Sam wanted to drive a bin lorry. I had never heard that in "
            "fifteen years."
        ),
        barriers={Barrier.UNSEEN: 1},
        emotional_closeness=3,
        physical_intimacy=2,
        tags=("phones", "evenings"),
    ),
    DemoEntry(
        days_ago=17,
        title=None,
        body=(
            "There is something I want and feel silly asking for. I would like to "
            "fall asleep being held. Not as a prelude to anything, just held. We "
            "used to do it all the time and somewhere along the way it stopped.\n\n"
            "Why is that so hard to say out loud? It feels more exposing than "
            "asking for sex would. I think because it says: I have missed you, and "
            "that admits how far apart we drifted."
        ),
        barriers={Barrier.SHAME: 2},
        emotional_closeness=3,
        physical_intimacy=2,
        tags=("asking",),
    ),
    DemoEntry(
        days_ago=17,
        title="I asked",
        body=(
            "I asked. My voice did a strange thing in the middle of the sentence. "
            "Sam just said 'come here', and that was that. We lay there for a long "
            "time talking nonsense in the dark, and I fell asleep before either of "
            "us finished a thought.\n\n"
            "I do not know why I built it up so much. Writing this down so I "
            "remember next time that asking can be that simple."
        ),
        barriers={Barrier.SHAME: 1},
        emotional_closeness=4,
        physical_intimacy=3,
        starred=True,
        tags=("asking",),
    ),
    DemoEntry(
        days_ago=15,
        title=None,
        body=(
            "Sam texted at five: 'running late, colleague crisis again, home by "
            "half seven, save me some pasta'. Home at twenty past. It sounds like "
            "nothing. It is not nothing to me. I realise part of me has been "
            "waiting to see whether the talk would change anything, and this is a "
            "small yes."
        ),
        barriers={Barrier.TRUST: 1},
        emotional_closeness=3,
    ),
    DemoEntry(
        days_ago=13,
        title="The long way round",
        body=(
            "We walked the long loop by the river, the one we used to do before "
            "the kids. No plan, no podcast. Somewhere past the lock I started "
            "talking about Dad, how he would have hated the new bridge, and Sam "
            "took my hand and kept it for the rest of the way.\n\n"
            "We stopped for chips and sat on the wall like teenagers. On the way "
            "back Sam said: I like you. Not love, like. I have been thinking about "
            "it all evening. #walks"
        ),
        barriers={Barrier.GRIEF: 1},
        emotional_closeness=4,
        physical_intimacy=3,
        starred=True,
        tags=("outdoors",),
    ),
    DemoEntry(
        days_ago=12,
        title=None,
        body=(
            "## Small things this week\n\n"
            "- tea brought up without asking\n"
            "- Sam told me about a worry at work before I asked\n"
            "- I laughed at a bad joke and meant it\n"
            "- we both forgot the phone rule once and both owned it\n\n"
            "None of these would make a film. They feel like the foundations being "
            "checked, one brick at a time."
        ),
        tags=("gratitude",),
    ),
    DemoEntry(
        days_ago=10,
        title="Old ground",
        body=(
            "Wobble today. Sam's mum rang about visiting for the holiday and Sam "
            "said yes before checking with me. The old feeling came straight back, "
            "that my plans are the ones that bend. I was cool all afternoon and I "
            "could feel myself closing the door again. Annoying, after the last "
            "few weeks. I thought we were past this."
        ),
        barriers={Barrier.RESENTMENT: 2},
        emotional_closeness=3,
        physical_intimacy=2,
        tags=("family",),
    ),
    DemoEntry(
        days_ago=10,
        title=None,
        body=(
            "We talked about it after the kids were in bed. It took twenty minutes "
            "instead of three weeks. Sam said, 'I did it again, didn't I', before "
            "I even got going, and that took most of the heat out of it. We agreed "
            "on a shorter visit. Maybe not being past it is fine. Maybe the point "
            "is getting back quicker."
        ),
        emotional_closeness=3,
        tags=("repair",),
    ),
    DemoEntry(
        days_ago=8,
        title=None,
        body=(
            "Same friend, same café, asked with a wink how the spicing was going. I "
            "tried to explain that nothing exciting had happened and yet things "
            "are better: we talk, we hold hands, we went to bed early twice this "
            "week and it was lovely and not remotely adventurous. My friend looked "
            "unconvinced. I did not mind at all."
        ),
        emotional_closeness=4,
        physical_intimacy=3,
        tags=("friends", "insight"),
    ),
    DemoEntry(
        days_ago=7,
        title="His handwriting",
        body=(
            "Found Dad's recipe for flapjacks tucked inside an old cookbook, in his "
            "spiky capitals, with 'MORE SYRUP' underlined twice. It knocked the air "
            "out of me. I sat on the kitchen floor with it.\n\n"
            "Sam found me there, sat down too, and read it out loud in a terrible "
            "impression of him. Then we made them. Too much syrup, exactly as "
            "instructed. #dad"
        ),
        barriers={Barrier.GRIEF: 2},
        emotional_closeness=4,
        tags=("family",),
    ),
    DemoEntry(
        days_ago=5,
        title=None,
        body=(
            "## Checking in with myself\n\n"
            "Six weeks of writing. Looking back, the thing that changed first was "
            "not the bedroom. It was whether I felt heard, and whether I let Sam "
            "hear me. The physical side has been following slowly, at its own "
            "speed, and I am trying not to hurry it.\n\n"
            "Still hard: the old planning resentment, and my body. Easier: asking."
        ),
        tags=("reflection",),
    ),
    DemoEntry(
        days_ago=4,
        title=None,
        body=(
            "A long hug in the kitchen while the kettle boiled, and then we both "
            "just went back to what we were doing. It did not have to lead "
            "anywhere, and because it did not, I relaxed into it. I changed in the "
            "bedroom tonight instead of the bathroom. Sam did not make anything of "
            "it, and I was grateful for that."
        ),
        barriers={Barrier.SHAME: 1},
        emotional_closeness=4,
        physical_intimacy=3,
        tags=("body",),
    ),
    DemoEntry(
        days_ago=3,
        title="Saying the lonely part",
        body=(
            "I told Sam something I have been holding back: that for most of last "
            "year I felt lonely next to them, and that I had half stopped expecting "
            "things to change. Saying it felt risky, like handing over something "
            "breakable.\n\n"
            "Sam was quiet for a while and then said, I know, me too, and thank you "
            "for telling me. Nothing fell apart. If anything, something settled."
        ),
        barriers={Barrier.TRUST: 1},
        emotional_closeness=4,
        physical_intimacy=3,
        tags=("talks",),
    ),
    DemoEntry(
        days_ago=1,
        title="My turn with the phone",
        body=(
            "Caught myself tonight. Sam was telling me about a row at the allotment "
            "committee and I was answering an email, saying 'mm' in the wrong "
            "places. I saw Sam's face go a bit flat and I recognised it "
            "immediately, from the other side.\n\n"
            "I put the phone in the kitchen and asked Sam to start again. It is "
            "easy to do without meaning anything by it. That is worth remembering "
            "both ways."
        ),
        barriers={Barrier.UNSEEN: 1},
        emotional_closeness=4,
        physical_intimacy=3,
        tags=("phones",),
    ),
    DemoEntry(
        days_ago=0,
        title=None,
        body=(
            "Quiet day. We did the shopping together and argued amiably about "
            "biscuits. Nothing big to report, which is maybe the point. It does not "
            "feel fixed, and I do not think that is the right word anyway. It feels "
            "like we are facing each other again instead of facing the same wall. "
            "I want to keep noticing."
        ),
        emotional_closeness=4,
        physical_intimacy=3,
    ),
)


def demo_entries(today: dt.date) -> list[NewEntry]:
    """The sample entries as NewEntry, dated relative to `today`, oldest first."""
    ordered = sorted(DEMO_ENTRIES, key=lambda item: -item.days_ago)  # stable within a day
    return [
        NewEntry(
            body=item.body,
            date=today - dt.timedelta(days=item.days_ago),
            title=item.title,
            barriers=[
                BarrierTag(barrier, intensity, source="user")
                for barrier, intensity in item.barriers.items()
            ],
            tags=list(item.tags),
            emotional_closeness=item.emotional_closeness,
            physical_intimacy=item.physical_intimacy,
            starred=item.starred,
        )
        for item in ordered
    ]


def fill_demo_journal(service: JournalService, today: dt.date) -> int:
    """Add every sample entry to the journal; returns how many were added."""
    entries = demo_entries(today)
    for new in entries:
        service.add(new)
    return len(entries)
