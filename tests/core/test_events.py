"""Events made the quick way match those made one at a time."""

import functools
import itertools
import uuid
from datetime import datetime, timedelta, timezone

from flashcards.core.events import grade_event, random_ids
from flashcards.core.progress import Phase, Progress, Rating, Review, utc_text

NOW = datetime(2025, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)


def test_random_ids_look_like_uuid4_hex():
    ids = list(itertools.islice(random_ids(batch=7), 1000))
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(hex=text)
        assert parsed.hex == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_a_memo_of_the_time_text_writes_the_same_grade():
    review = Review(id="r1", card_id="c1", deck_id="d1", rating=Rating.GOOD, time=NOW,
                    phase_before=Phase.REVIEW, duration_ms=1200)
    after = Progress(phase=Phase.REVIEW, due=NOW + timedelta(days=3), stability=3.2,
                     difficulty=5.1, last_review=NOW, first_review=NOW - timedelta(days=9),
                     reps=4, lapses=1, last_review_graded=NOW)
    memo = functools.lru_cache(maxsize=None)(utc_text)
    assert grade_event("dev", review, after, memo) == grade_event("dev", review, after)
    assert list(grade_event("dev", review, after, memo)) == list(grade_event("dev", review, after))
