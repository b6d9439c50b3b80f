"""Reusable widgets of the journal window."""
