"""Fixtures shared by the Anki package tests."""

import pytest
from anki_helpers import export_package, make_sample_collection, package_entries


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    """The entries of real packages, to rebuild with one thing wrong."""
    folder = tmp_path_factory.mktemp("anki")
    col, _ = make_sample_collection(folder / "collection")
    found = {layout: package_entries(export_package(col, folder / f"{layout}.apkg",
                                                    legacy=layout == "legacy"))
             for layout in ("legacy", "latest")}
    col.close()
    return found
