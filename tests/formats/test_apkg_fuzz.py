"""Mangled packages, at every layer: the importer answers with FormatError or with decks, nothing else."""

from __future__ import annotations

import zipfile

import pytest
import zstandard
from anki_helpers import zip_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.importing import ImportedDecks
from flashcards.formats import FormatError
from flashcards.formats.apkg import read

_EDITS = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                  min_size=1, max_size=12)


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    return tmp_path_factory.mktemp("mangled") / "mangled.apkg"


def _mangle(data: bytes, edits: list[tuple[float, int]], cut: float | None = None) -> bytes:
    mangled = bytearray(data)
    for where, value in edits:
        mangled[int(where * len(mangled))] = value
    if cut is not None:
        del mangled[int(cut * len(mangled)):]
    return bytes(mangled)


def _read_only_fails_cleanly(target, package: bytes) -> None:
    target.write_bytes(package)
    try:
        result = read(target)
    except FormatError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(result, ImportedDecks)


@settings(deadline=None, max_examples=150)
@given(layout=st.sampled_from(["legacy", "latest"]), edits=_EDITS,
       cut=st.none() | st.floats(0, 1))
def test_mangled_package_bytes(entries, target, layout, edits, cut):
    whole = zip_bytes(entries[layout], zipfile.ZIP_DEFLATED)
    _read_only_fails_cleanly(target, _mangle(whole, edits, cut))


@settings(deadline=None, max_examples=150)
@given(edits=_EDITS)
def test_mangled_legacy_collection(entries, target, edits):
    package = dict(entries["legacy"])
    package["collection.anki21"] = _mangle(package["collection.anki21"], edits)
    _read_only_fails_cleanly(target, zip_bytes(package))


@settings(deadline=None, max_examples=150)
@given(edits=_EDITS)
def test_mangled_latest_collection(entries, target, edits):
    package = dict(entries["latest"])
    database = zstandard.ZstdDecompressor().stream_reader(package["collection.anki21b"]).read()
    package["collection.anki21b"] = zstandard.ZstdCompressor().compress(_mangle(database, edits))
    _read_only_fails_cleanly(target, zip_bytes(package))


@settings(deadline=None, max_examples=150)
@given(layout=st.sampled_from(["legacy", "latest"]), entry=st.sampled_from(["meta", "media"]),
       data=st.binary(max_size=64))
def test_arbitrary_version_and_media_list(entries, target, layout, entry, data):
    package = dict(entries[layout])
    if layout == "latest" and entry == "media":
        data = zstandard.ZstdCompressor().compress(data)
    package[entry] = data
    _read_only_fails_cleanly(target, zip_bytes(package))
