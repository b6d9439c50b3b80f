"""The headless domain: barriers, dates, tags, entries. Never imports Textual."""
