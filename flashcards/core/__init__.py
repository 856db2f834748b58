"""The Qt-free heart of the app: cards, decks, scheduling, the store and the review flow."""
