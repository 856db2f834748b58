"""Flashcards: a desktop study app with FSRS spaced repetition."""

__version__ = "0.1.0"
