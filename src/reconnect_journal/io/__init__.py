"""Exports and imports: Markdown (one file or a folder), JSON, the therapy summary, and
readers for jrnl and Day One. Headless: never imports Textual."""
