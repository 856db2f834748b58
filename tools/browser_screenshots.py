"""Render docs/screenshots/browser.png and browser-dark.png: the card browser over a collection of
a few hundred cards studied for six weeks, offscreen, from a temporary data folder.

    python tools/browser_screenshots.py [--out docs/screenshots]

The clock, the grades and the marks are fixed, so every run draws the same pictures.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window's remembered look (hidden columns, theme, font size) is this computer's: not
# read here, so every run is alike.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="flashcards-look-")
os.environ["FLASHCARDS_DEVICE_ID"] = "screenshots"

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from flashcards.core.clock import FakeClock  # noqa: E402
from flashcards.core.collection import Collection  # noqa: E402
from flashcards.core.deck import Card, Deck  # noqa: E402
from flashcards.core.progress import Rating  # noqa: E402
from flashcards.gui import theme  # noqa: E402
from flashcards.gui.card_table import Column  # noqa: E402
from flashcards.gui.main_window import MainWindow  # noqa: E402

SIZE = (1440, 800)
VOCABULARY = """el perro|the dog;el gato|the cat;la casa|the house;el libro|the book;
la mesa|the table;la silla|the chair;el agua|the water;la leche|the milk;el pan|the bread;la manzana|the apple;
el coche|the car;la ciudad|the city;el pueblo|the village;la calle|the street;el río|the river;
la montaña|the mountain;el mar|the sea;la playa|the beach;el cielo|the sky;la luna|the moon;
el sol|the sun;la estrella|the star;el árbol|the tree;la flor|the flower;el jardín|the garden;
la ventana|the window;la puerta|the door;el suelo|the floor;la pared|the wall;el techo|the roof;
la cocina|the kitchen;el baño|the bathroom;la cama|the bed;el espejo|the mirror;la llave|the key;
el reloj|the clock;la hora|the hour;el día|the day;la noche|the night;la semana|the week;
el mes|the month;el año|the year;la mañana|the morning;la tarde|the afternoon;el invierno|winter;
el verano|summer;la primavera|spring;el otoño|autumn;la lluvia|the rain;la nieve|the snow;
el viento|the wind;la nube|the cloud;el trabajo|work;la escuela|the school;el amigo|the friend;
la familia|the family;el hermano|the brother;la hermana|the sister;el padre|the father;
la madre|the mother;el hijo|the son;la hija|the daughter;el abuelo|the grandfather;
la abuela|the grandmother;la comida|the food;la cena|dinner;el desayuno|breakfast;
el almuerzo|lunch;la cuenta|the bill;el dinero|money;la tienda|the shop;el mercado|the market"""
VERBS = """ser|to be (permanent);estar|to be (state, place);tener|to have;hacer|to do, to make;
ir|to go;venir|to come;decir|to say;poder|to be able to;querer|to want;saber|to know (facts);
conocer|to know (people, places);poner|to put;salir|to go out;volver|to come back;
dormir|to sleep;pedir|to ask for;seguir|to follow;empezar|to begin;pensar|to think;
encontrar|to find;jugar|to play;oír|to hear;traer|to bring;dar|to give;ver|to see;
leer|to read;escribir|to write;vivir|to live;comer|to eat;beber|to drink"""
IRREGULAR = {"ser", "estar", "tener", "hacer", "ir", "venir", "decir", "poder", "querer",
             "saber", "conocer", "poner", "salir", "volver", "dormir", "pedir", "oír", "traer",
             "dar", "ver"}
CAPITALS = """France|Paris|europe;Germany|Berlin|europe;Italy|Rome|europe;Spain|Madrid|europe;
Portugal|Lisbon|europe;Netherlands|Amsterdam|europe;Belgium|Brussels|europe;Austria|Vienna|europe;
Switzerland|Bern|europe;Poland|Warsaw|europe;Czechia|Prague|europe;Hungary|Budapest|europe;
Greece|Athens|europe;Sweden|Stockholm|europe;Norway|Oslo|europe;Finland|Helsinki|europe;
Denmark|Copenhagen|europe;Ireland|Dublin|europe;Iceland|Reykjavík|europe;Romania|Bucharest|europe;
Bulgaria|Sofia|europe;Croatia|Zagreb|europe;Serbia|Belgrade|europe;Ukraine|Kyiv|europe;
Japan|Tokyo|asia;China|Beijing|asia;South Korea|Seoul|asia;India|New Delhi|asia;
Pakistan|Islamabad|asia;Thailand|Bangkok|asia;Vietnam|Hanoi|asia;Indonesia|Jakarta|asia;
Philippines|Manila|asia;Malaysia|Kuala Lumpur|asia;Mongolia|Ulaanbaatar|asia;Nepal|Kathmandu|asia;
Iran|Tehran|asia;Turkey|Ankara|asia;Saudi Arabia|Riyadh|asia;Kazakhstan|Astana|asia;
Egypt|Cairo|africa;Kenya|Nairobi|africa;Nigeria|Abuja|africa;Ethiopia|Addis Ababa|africa;
Morocco|Rabat|africa;Ghana|Accra|africa;Senegal|Dakar|africa;Tanzania|Dodoma|africa;
Canada|Ottawa|americas;Mexico|Mexico City|americas;Brazil|Brasília|americas;
Argentina|Buenos Aires|americas;Chile|Santiago|americas;Peru|Lima|americas;
Colombia|Bogotá|americas;Cuba|Havana|americas;Australia|Canberra|oceania;
New Zealand|Wellington|oceania;Fiji|Suva|oceania"""
BIOLOGY = """What does the <b>mitochondrion</b> do?|Makes most of the cell's ATP;
What is the <i>nucleus</i> for?|It holds the cell's DNA;
What do ribosomes make?|Proteins, from messenger RNA;
What is osmosis?|Water moving through a membrane towards the higher solute concentration;
What does chlorophyll absorb?|Red and blue light, not green;
What are the products of photosynthesis?|Glucose and oxygen;
Where does glycolysis happen?|In the cytoplasm;
What is a gene?|A stretch of DNA that codes for a protein or an RNA;
How many chromosomes does a human cell have?|46, in 23 pairs;
What does meiosis produce?|Four cells with half the chromosomes: gametes;
What is an enzyme?|A protein that speeds up a reaction without being used up;
What carries oxygen in the blood?|Haemoglobin, in red blood cells;
What is the function of the <b>Golgi apparatus</b>?|It packages and sends out proteins;
What do white blood cells do?|Fight infection;
What is homeostasis?|Keeping the body's inner conditions steady;
What is the cell membrane made of?|A phospholipid bilayer, with proteins in it;
What is DNA's shape?|A double helix;
Which base pairs with adenine in DNA?|Thymine;
Which base pairs with guanine?|Cytosine;
What is a virus?|Genetic material in a protein coat that needs a host cell to copy itself"""


def decks() -> list[Deck]:
    def pairs(text: str) -> list[list[str]]:
        return [item.strip().split("|") for item in text.split(";") if item.strip()]

    vocabulary = [Card(f"vocab-{i}", es, en, ("spanish::noun",))
                  for i, (es, en) in enumerate(pairs(VOCABULARY))]
    verbs = [Card(f"verb-{i}", es, en, ("spanish::verb",) + (("irregular",)
                                                            if es in IRREGULAR else ()))
             for i, (es, en) in enumerate(pairs(VERBS))]
    capitals = [Card(f"capital-{i}", f"What is the capital of {country}?", city,
                     ("geography", f"geography::{region}"))
                for i, (country, city, region) in enumerate(pairs(CAPITALS))]
    biology = [Card(f"biology-{i}", question, answer, ("science::cell",))
               for i, (question, answer) in enumerate(pairs(BIOLOGY))]
    return [Deck("spanish-vocabulary", "Spanish::Vocabulary", cards=vocabulary),
            Deck("spanish-verbs", "Spanish::Verbs", cards=verbs),
            Deck("capitals", "Geography::Capitals", cards=capitals),
            Deck("biology", "Biology", cards=biology)]


def study(collection: Collection, clock: FakeClock, days: int) -> None:
    """A learner's weeks: each morning every deck's cards due that day, mostly Good, and ten
    new ones."""
    rng = random.Random(4)
    ratings = [Rating.AGAIN] * 8 + [Rating.HARD] * 12 + [Rating.GOOD] * 68 + [Rating.EASY] * 12
    collection.change_setting("new_per_day", 10)
    for _day in range(days):
        for deck in collection.decks():
            for _ in range(80):
                counts = collection.counts(deck.id)
                card = collection.next_card(deck.id)
                if card is None or not counts.new + counts.learning + counts.due:
                    break
                collection.grade(card.id, rng.choice(ratings), duration_ms=rng.randint(2, 20) * 700)
                clock.advance(minutes=2)
        clock.advance(hours=23)


def mark(window: MainWindow) -> None:
    """Flags and two suspended cards among the rows the picture shows."""
    collection, model = window.collection, window.browser.model
    ids = [model.card_id(row) for row in range(min(model.rowCount(), 24))]
    changes = collection.suspend([ids[8], ids[13]])
    for row, flag in ((1, 1), (4, 4), (6, 3), (11, 2), (15, 1)):
        changes |= collection.flag([ids[row]], flag)
    window.collection_changed.emit(changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Flashcards")
    with tempfile.TemporaryDirectory() as folder:
        clock = FakeClock(datetime(2025, 1, 27, 8, 0, tzinfo=timezone.utc))
        collection = Collection.open(Path(folder), "screenshots", clock=clock, tz=timezone.utc)
        try:
            collection.change_setting("fuzz", False)
            for deck in decks():
                collection.import_deck(deck, undoable=False)
            study(collection, clock, days=42)
            clock.advance(hours=2)
            for name, file in (("light", "browser.png"), ("dark", "browser-dark.png")):
                theme.apply_theme(app, name)
                shoot(app, collection, args.out / file)
        finally:
            collection.close()
    return 0


def shoot(app: QApplication, collection: Collection, path: Path) -> None:
    window = MainWindow(collection)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.browse_action.trigger()
    browser = window.browser
    browser.resize(*SIZE)
    QTest.qWaitForWindowExposed(browser)
    while browser.model.index(0, Column.REVIEWS).data() == "":
        app.processEvents()  # the review counts, read on a thread
    browser.search_box.setText("deck:Spanish")
    QTest.keyClick(browser.search_box, Qt.Key.Key_Return)
    header = browser.table.horizontalHeader()
    header.setSortIndicator(Column.DUE, Qt.SortOrder.AscendingOrder)
    if not any(collection.marks(browser.model.card_id(row)).flag for row in range(10)):
        mark(window)
    browser.table.selectRow(4)
    browser.table.setFocus()
    app.processEvents()
    if not browser.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)
    browser.close()
    window.close()


if __name__ == "__main__":
    sys.exit(main())
