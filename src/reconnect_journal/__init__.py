"""Reconnect Journal: a private reflection journal for the terminal."""

__version__ = "0.1.0"
