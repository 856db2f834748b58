"""Card text with images: pictures come from the media folder, never from anywhere else."""

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from flashcards.core.deck import Card, Deck
from flashcards.core.importing import ImportedDecks
from flashcards.gui import theme

pytestmark = pytest.mark.gui


@pytest.fixture
def picture_window(open_collection, make_window):
    collection = open_collection()
    picture = (theme.RESOURCES / "flashcards.png").read_bytes()
    card = Card(id="pic-1", front='What is this? <img src="icon.png">',
                back='An icon <img src="https://example.com/tracker.png">')
    collection.import_decks(ImportedDecks(decks=[Deck(id="pics", name="Pictures", cards=[card])],
                                          media={"icon.png": picture}))
    return make_window(collection)


def test_images_load_from_the_media_folder(picture_window, press):
    press(picture_window, Qt.Key.Key_Return)
    view = picture_window.review_page.card_view
    image = view.loadResource(QTextDocument.ResourceType.ImageResource, QUrl("icon.png"))
    assert image is not None and not image.isNull()


def test_remote_and_outside_files_are_never_loaded(picture_window, press, tmp_path):
    press(picture_window, Qt.Key.Key_Return)
    press(picture_window, Qt.Key.Key_Space)
    view = picture_window.review_page.card_view
    outside = tmp_path / "secret.png"
    outside.write_bytes((theme.RESOURCES / "flashcards.png").read_bytes())
    for url in (QUrl("https://example.com/tracker.png"), QUrl("../../secret.png"),
                QUrl.fromLocalFile(str(outside))):
        assert view.loadResource(QTextDocument.ResourceType.ImageResource, url) is None
