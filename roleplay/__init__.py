"""roleplay: a sales role-play trainer for the terminal."""

__version__ = "0.1.0"
