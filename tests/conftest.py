"""Every test runs headless and away from the real user folders."""

import os

# Set before anything imports Qt or platformdirs.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("FLASHCARDS_DEVICE_ID", "test-device")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Property tests must not fail because a shared CI machine was slow for a moment.
settings.register_profile("flashcards", deadline=None)
settings.load_profile("flashcards")


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path_factory, monkeypatch):
    """Point every per-user folder at a temporary one, so no test can touch real data."""
    home = tmp_path_factory.mktemp("home")
    for variable, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                          ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("FLASHCARDS_DATA_DIR", raising=False)
    monkeypatch.setenv("FLASHCARDS_DEVICE_ID", "test-device")
    yield
