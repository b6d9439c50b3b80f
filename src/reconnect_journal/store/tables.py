"""SQLModel tables. Only the store sees these; the rest of the app uses core.model."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, text
from sqlmodel import Field, SQLModel

from reconnect_journal.core.barriers import BARRIER_KEYS

_BARRIER_LIST = ", ".join(f"'{key}'" for key in BARRIER_KEYS)


class EntryRow(SQLModel, table=True):
    __tablename__ = "entry"
    __table_args__ = (
        # Partial indexes: the newest-first list walks the first one in order and stops
        # after a page, whatever the journal's size; the trash has its own.
        Index("ix_entry_live_day", "date", "created_at", sqlite_where=text("deleted_at IS NULL")),
        Index("ix_entry_trash", "deleted_at", sqlite_where=text("deleted_at IS NOT NULL")),
        CheckConstraint(
            "emotional_closeness IS NULL OR emotional_closeness BETWEEN 1 AND 5",
            name="ck_entry_emotional_range",
        ),
        CheckConstraint(
            "physical_intimacy IS NULL OR physical_intimacy BETWEEN 1 AND 5",
            name="ck_entry_physical_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(max_length=36, unique=True)
    date: dt.date
    created_at: dt.datetime  # aware; SQLModel stores it as UTC
    updated_at: dt.datetime  # aware; SQLModel stores it as UTC
    title: str | None = None
    body: str
    emotional_closeness: int | None = None
    physical_intimacy: int | None = None
    starred: bool = Field(default=False)
    share: bool = Field(default=False)
    prompt_id: str | None = None
    # Bumped on every save, so a second window can tell its copy is stale.
    version: int = Field(default=1)
    deleted_at: dt.datetime | None = None
    # The gentle "spice it up" note is shown at most once per entry.
    reframe_shown: bool = Field(default=False)


class EntryBarrierRow(SQLModel, table=True):
    __tablename__ = "entry_barrier"
    __table_args__ = (
        CheckConstraint(f"barrier IN ({_BARRIER_LIST})", name="ck_barrier_key"),
        CheckConstraint("intensity BETWEEN 1 AND 3", name="ck_barrier_intensity"),
        CheckConstraint("source IN ('user', 'suggestion')", name="ck_barrier_source"),
        Index("ix_entry_barrier_barrier", "barrier"),
    )

    entry_id: int = Field(
        sa_column=Column(Integer, ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True)
    )
    barrier: str = Field(primary_key=True, max_length=16)
    intensity: int = Field(default=1)
    source: str = Field(default="user", max_length=16)


class EntryTagRow(SQLModel, table=True):
    __tablename__ = "entry_tag"
    __table_args__ = (Index("ix_entry_tag_tag", "tag"),)

    entry_id: int = Field(
        sa_column=Column(Integer, ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True)
    )
    tag: str = Field(primary_key=True)


class DraftRow(SQLModel, table=True):
    """Unsaved editor text. `key` is 'entry:<id>', or 'new:<window>.<n>' for a new entry
    ('new' before windows had tokens): one draft per thing being edited."""

    __tablename__ = "draft"

    key: str = Field(primary_key=True, max_length=32)
    entry_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("entry.id", ondelete="SET NULL"), nullable=True),
    )
    date: dt.date | None = None
    title: str | None = None
    body: str
    barriers: str  # JSON: {"key": [intensity, source]}
    tags: str  # JSON list
    emotional_closeness: int | None = None
    physical_intimacy: int | None = None
    prompt_id: str | None = None
    updated_at: dt.datetime
    reframe_shown: bool = Field(default=False)


class PromptShownRow(SQLModel, table=True):
    """Which prompt was shown on which journal day, so prompts rest before coming back."""

    __tablename__ = "prompt_shown"
    __table_args__ = (Index("ix_prompt_shown_day", "day"),)

    prompt_id: str = Field(primary_key=True)
    day: dt.date = Field(primary_key=True)
    shown_at: dt.datetime  # aware; SQLModel stores it as UTC


class ConversationOpenerRow(SQLModel, table=True):
    """A soft start-up drafted from an entry: kept here, never sent anywhere."""

    __tablename__ = "conversation_opener"
    __table_args__ = (Index("ix_conversation_opener_entry", "entry_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(
        sa_column=Column(Integer, ForeignKey("entry.id", ondelete="CASCADE"), nullable=False)
    )
    feeling: str
    about: str
    need: str
    text: str
    created_at: dt.datetime  # aware; SQLModel stores it as UTC
    updated_at: dt.datetime


class DaySummaryRow(SQLModel, table=True):
    """Per journal day, the sums the Trends screen and `stats` add up: kept in step with
    `entry` and `entry_barrier` by triggers (migration 0006), so trends cost the same
    whatever the number of entries per day. Only live entries count; a day without any
    has no row."""

    __tablename__ = "day_summary"
    __table_args__ = {"sqlite_with_rowid": False}

    date: dt.date = Field(primary_key=True)
    entries: int = 0
    emotional_sum: int = 0
    emotional_n: int = 0
    physical_sum: int = 0
    physical_n: int = 0
    # Per barrier: how many entries carry it, and the sum of their intensities.
    shame: int = 0
    shame_intensity: int = 0
    resentment: int = 0
    resentment_intensity: int = 0
    trust: int = 0
    trust_intensity: int = 0
    unseen: int = 0
    unseen_intensity: int = 0
    grief: int = 0
    grief_intensity: int = 0


class SavedSearchRow(SQLModel, table=True):
    """A search kept under a name: its words and its filters (JSON, see core.search)."""

    __tablename__ = "saved_search"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    query: str
    filters: str  # JSON object
    created_at: dt.datetime  # aware; SQLModel stores it as UTC
    updated_at: dt.datetime
