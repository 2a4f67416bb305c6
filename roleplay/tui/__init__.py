"""The Textual interface: a thin shell over ``roleplay.practice`` (engine, scorer, store)."""
