"""A data folder written by the app of snapshot format 5 (one checksum over the whole file).

data/version-5-folder was made by that version (see data/README.md), and version-5-expected.json
is what it showed. This version, with snapshot format 6 (a checksum for each line, only the
first line read at start-up), must show the same, keep the old snapshot aside once, and go on.
"""

import json
from pathlib import Path

import pytest
from test_format_4_folder import copied, opened_at, shown

from flashcards.core.snapshot import SNAPSHOT_VERSION, decode

DATA = Path(__file__).parent / "data"
EXPECTED = json.loads((DATA / "version-5-expected.json").read_text())


@pytest.fixture
def folder(tmp_path):
    return copied("version-5-folder", tmp_path)


def opened(folder, device="laptop"):
    return opened_at(EXPECTED["now"], folder, device)


@pytest.mark.parametrize("device", ["laptop", "desktop"])
def test_everything_the_old_version_showed_is_shown(folder, device):
    with opened(folder, device) as collection:
        assert shown(collection) == EXPECTED[device]


def test_the_snapshot_is_converted_once_and_a_rebuild_agrees(folder):
    with opened(folder) as collection:
        before = shown(collection)
    assert decode((folder / "snapshot-laptop.json").read_bytes())[1]["version"] == SNAPSHOT_VERSION
    (kept,) = (folder / "superseded").iterdir()
    assert kept.read_bytes() == (DATA / "version-5-folder" / "snapshot-laptop.json").read_bytes()
    with opened(folder) as again:
        assert shown(again) == before
        assert again.load_report.warnings == [] and again.take_warnings() == []
    for snapshot in folder.glob("snapshot-*.json"):
        snapshot.unlink()
    with opened(folder) as rebuilt:
        assert shown(rebuilt) == before
