"""mixtui: a keyboard-driven terminal music browser."""

__version__ = "0.1.0"
