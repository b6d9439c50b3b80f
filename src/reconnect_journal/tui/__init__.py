"""The journal window (Textual). Imported only when the window is opened.

Nothing here imports the store at module level: the first frame must not wait on
SQLAlchemy. The journal is opened, read and written from thread workers.
"""
