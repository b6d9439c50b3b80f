"""Our own calm theme: soft, warm, low contrast between panels, nothing that shouts."""

from __future__ import annotations

from textual.theme import Theme

CALM_THEME = Theme(
    name="reconnect-calm",
    primary="#8fb3a9",  # sage
    secondary="#b7a7c9",  # lavender
    accent="#e0b48a",  # warm sand
    warning="#e0b48a",
    error="#d08c8c",
    success="#9cc29a",
    foreground="#e6e1da",
    background="#22262b",
    surface="#2a2f35",
    panel="#323840",
    dark=True,
    variables={
        "footer-key-foreground": "#e0b48a",
        "block-cursor-text-style": "none",
        "input-selection-background": "#8fb3a9 35%",
    },
)

CALM_LIGHT_THEME = Theme(
    name="reconnect-calm-light",
    primary="#4f7d71",
    secondary="#7a6891",
    accent="#a86f3c",
    warning="#a86f3c",
    error="#a04f4f",
    success="#4f7d4d",
    foreground="#2f2a25",
    background="#f6f1ea",
    surface="#efe8df",
    panel="#e6ddd1",
    dark=False,
    variables={"footer-key-foreground": "#a86f3c"},
)

OUR_THEMES = (CALM_THEME, CALM_LIGHT_THEME)
