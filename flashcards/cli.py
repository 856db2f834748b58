"""The command line: `flashcards [--data-dir DIR] [COMMAND]`. With no command it opens the window.

Commands that only look (decks, cards, stats, backups, export) open the data folder read-only: they work
while the window has it open, and leave every file in it as it was.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Sequence

from . import __version__

_DATA_DIR_HELP = ("folder holding your progress (default: FLASHCARDS_DATA_DIR, else the user data "
                  "folder)")
# Commands that only look: they open the folder read-only.
_LOOKING = {"decks", "cards", "stats", "backups", "export"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flashcards",
        description="Study flashcards with FSRS spaced repetition. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"flashcards {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=_DATA_DIR_HELP)
    # Each command takes --data-dir too, so it may come after the command's name; left out there,
    # it does not overwrite the one given before.
    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=_DATA_DIR_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_command = functools.partial(commands.add_parser, parents=[data_dir])

    decks = add_command("decks", help="list decks with today's New / Learning / Due counts",
                                description="Print each deck's id, name, card total and today's "
                                            "New / Learning / Due counts.")
    decks.add_argument("--json", action="store_true", help="print a JSON array instead of a table")

    cards = add_command(
        "cards", help="list cards with their state, due date and number of reviews",
        description="Print each card's deck, question, state, due date and number of reviews, "
                    "by deck name, then in each deck's order. With --json, each card is an object "
                    "with id, deck, front, back (HTML), tags, state (new, learning, review or "
                    "relearning), due (UTC to the second, ending in Z; null for a new card), "
                    "reviews, lapses, stability and difficulty (null for a new card), suspended, "
                    "buried and flag (0 for none, else 1-7).")
    cards.add_argument("search", metavar="SEARCH", nargs="?", default="",
                       help='which cards: deck:NAME takes a deck and its subdecks, ignoring case; '
                            '* stands for any text; quote a name with spaces (deck:"French '
                            'words"). Default: every card')
    cards.add_argument("--json", action="store_true", help="print a JSON array instead of a table")

    stats = add_command(
        "stats", help="show how much and how well you have studied, and what is coming",
        description="Print reviews per day and the streak, the cards due in the next 30 days, "
                    "the share of reviews passed each week (young and mature cards), cards by "
                    "state, answer-button use, time studied, how stable the memory of each card "
                    "is and the chance of recalling it now, and the FSRS parameters in use.")
    stats.add_argument("--deck", metavar="NAME",
                       help='only this deck and its subdecks (ignoring case; * stands for any '
                            'text), as deck:NAME takes them in a search. Default: every deck')
    stats.add_argument("--period", choices=("month", "year", "all"), default="all",
                       help="over the last 30 days, the last 365, or all time (default)")
    stats.add_argument("--json", action="store_true", help="print a JSON object instead")

    from .transfer import EXPORT_FORMATS, IMPORT_FORMATS

    imp = add_command("import", help="import decks from a file",
                              description="Import decks from a JSON deck, CSV/TSV, Anki package "
                                          "(.apkg) or a facts + FAQ article. Importing the same "
                                          "file twice adds nothing the second time.")
    imp.add_argument("path", metavar="PATH")
    imp.add_argument("--format", choices=IMPORT_FORMATS,
                     help="file format (default: from the extension and content)")
    imp.add_argument("--deck", metavar="NAME", help="name for the imported deck")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")

    exp = add_command("export", help="export a deck to a file",
                              description="Export one deck to a JSON deck, CSV/TSV or an Anki "
                                          "package that Anki can import.")
    exp.add_argument("deck_id", metavar="DECK_ID", help="the deck's id (see `flashcards decks`)")
    exp.add_argument("--to", metavar="PATH", required=True, help="file to write")
    exp.add_argument("--format", choices=EXPORT_FORMATS,
                     help="file format (default: from the extension)")

    add = add_command("add", help="add a card to a deck",
                      description="Add one card to the deck with this name (ignoring case), "
                                  "creating the deck if there is none, and print the new "
                                  "card's id. Front and back are card HTML: plain text, or "
                                  "simple formatting such as <b>bold</b>.")
    add.add_argument("--deck", metavar="NAME", required=True, help="the deck's name")
    add.add_argument("--front", metavar="TEXT", required=True, help="the question")
    add.add_argument("--back", metavar="TEXT", required=True, help="the answer")
    add.add_argument("--tags", metavar='"A B"', default="",
                     help="tags, separated by spaces")

    backups = add_command("backups", help="list the daily backups of your progress",
                                  description="List the daily backups kept in the data folder, "
                                              "newest first.")
    backups.add_argument("--json", action="store_true", help="print a JSON array instead")
    restore = add_command("restore", help="bring decks and progress back to a backup",
                                  description="Bring decks, progress, settings and deck options back to a daily "
                                              "backup. The review history is kept whole, and "
                                              "other devices sharing the folder follow.")
    restore.add_argument("backup", metavar="BACKUP", help="a backup file or its day (YYYY-MM-DD)")
    _add_memory_commands(add_command)
    return parser


def _add_memory_commands(add_command) -> None:
    away = add_command("break", help="move the reviews due during a break out of it",
                       description="Move the reviews due on the days you are away to the days "
                                   "before the break or after it, whichever loses less of what "
                                   "you remember, with no day busier than your usual ones. "
                                   "Undo in the window takes it back.")
    away.add_argument("--from", dest="away_from", metavar="YYYY-MM-DD", type=_day, required=True,
                      help="the first day away")
    away.add_argument("--until", dest="away_until", metavar="YYYY-MM-DD", type=_day,
                      required=True, help="the last day away")
    backlog = add_command("backlog", help="spread overdue reviews over the next days",
                          description="Spread the reviews overdue from before today over the "
                                      "next N days, today included, the ones you are most "
                                      "likely to have forgotten first.")
    backlog.add_argument("--days", metavar="N", type=int, required=True,
                         help="how many days to spread them over")
    for command in (away, backlog):
        command.add_argument("--dry-run", action="store_true",
                             help="say what would move, and change nothing")
        command.add_argument("--json", action="store_true", help="print the plan as JSON")
    optimise = add_command("optimise", help="fit the scheduler to your own reviews",
                           description="Fit the scheduler's 21 parameters to your review "
                                       "history, and keep them if they predict it better than "
                                       "the ones in use. Needs numpy and scipy.")
    optimise.add_argument("--json", action="store_true", help="print the result as JSON")


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day written YYYY-MM-DD") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .core.search import SearchError
    from .core.store import StoreError
    from .formats import FormatError

    try:
        if args.command is None:
            return _open_window(args)
        with _open(args) as collection:
            status = COMMANDS[args.command](collection, args)
            for warning in collection.take_warnings():
                print(f"flashcards: warning: {warning}", file=sys.stderr)
            return status
    except (StoreError, FormatError, SearchError) as error:
        print(f"flashcards: {error}", file=sys.stderr)
        return 1
    except KeyError as error:
        print(f"flashcards: {error.args[0]}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped early (`flashcards cards | head`): what is left to print goes
        # nowhere, and Python's own flush of stdout at exit finds nothing more to complain about.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _open(args, progress=None):
    from .app import open_collection

    collection = open_collection(args.data_dir, read_only=args.command in _LOOKING
                                 or getattr(args, "dry_run", False), progress=progress)
    for warning in collection.load_report.warnings:
        print(f"flashcards: warning: {warning}", file=sys.stderr)
    return collection


def _open_window(args) -> int:
    from .gui import x11_libraries

    missing = x11_libraries.missing_libraries() if x11_libraries.uses_x11() else []
    if missing:
        print(f"flashcards: {x11_libraries.missing_libraries_message(missing)}", file=sys.stderr)
        return 1

    from .core.store import StoreError
    from .gui.app import application, run, show_startup_error
    from .gui.opening import OpeningCancelled, open_with_progress

    application(sys.argv[:1])
    try:
        # Off the GUI thread: a long opening (no snapshot to start from) shows its progress.
        collection = open_with_progress(lambda progress: _open(args, progress))
    except OpeningCancelled:
        return 1
    except StoreError as error:
        # Started from a desktop menu there is no terminal to read stderr: say it in a window too.
        show_startup_error(str(error))
        raise
    try:
        return run(collection, sys.argv[:1])
    finally:
        # The window already asked the person about any grade it could not save.
        collection.close(discard_unsaved=True)


def _decks(collection, args) -> int:
    rows = []
    for deck in collection.decks():
        counts = collection.counts(deck.id)
        # A deck's cards with its subdecks', as its counts (and the window's deck tree) add up.
        cards = sum(map(collection.card_count, collection.deck_and_subdecks(deck.id)))
        rows.append({"id": deck.id, "name": deck.name, "kind": deck.kind.value,
                     "cards": cards, "new": counts.new, "learning": counts.learning,
                     "due": counts.due})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    headers = ("ID", "NAME", "CARDS", "NEW", "LEARNING", "DUE")
    table = [headers] + [(r["id"], r["name"], str(r["cards"]), str(r["new"]), str(r["learning"]),
                          str(r["due"])) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        cells = [cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
    return 0


def _cards(collection, args) -> int:
    from .formats.html import text_line

    found = collection.find_cards(args.search)
    reviews = collection.review_counts() if found else {}
    rows = [_card_json(collection, deck, card, reviews.get(card.id, 0)) for deck, card in found]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"No card matches {args.search.strip()}." if args.search.strip() else "No cards.")
        return 0
    headers = ("DECK", "FRONT", "STATE", "DUE", "REVIEWS")
    table = [headers] + [
        (_cut(row["deck"], _DECK_WIDTH), _cut(text_line(row["front"]), _FRONT_WIDTH), row["state"],
         _local_day(row["due"], collection.tz), str(row["reviews"])) for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        cells = [cell.rjust(w) if i == 4 else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
    return 0


# The widest a deck name and a question get in the cards table: one card fits a 100-column line.
_DECK_WIDTH, _FRONT_WIDTH = 24, 40


def _card_json(collection, deck, card, reviews: int) -> dict:
    """One card as `cards --json` prints it."""
    from .core.progress import Phase

    progress = collection.progress(card.id)
    new = progress is None or progress.phase is Phase.NEW
    return {"id": card.id, "deck": deck.name, "front": card.front, "back": card.back,
            "tags": list(card.tags), "state": Phase.NEW.value if new else progress.phase.value,
            "due": None if new else _utc_text(progress.due), "reviews": reviews,
            "lapses": 0 if progress is None else progress.lapses,
            "stability": None if new else progress.stability,
            "difficulty": None if new else progress.difficulty,
            **_marks(collection, card)}


def _marks(collection, card) -> dict:
    """Whether a card is suspended or buried today, and its colour flag (0 none, 1-7 as in Anki)."""
    marks = collection.marks(card.id)
    return {"suspended": marks.suspended, "buried": marks.buried_on(collection.today()),
            "flag": marks.flag}


def _utc_text(moment) -> str:
    """A time in UTC to the second, ending in Z: the form jq's fromdate reads."""
    from datetime import timezone

    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local_day(due: str | None, tz) -> str:
    from datetime import datetime

    return datetime.fromisoformat(due).astimezone(tz).date().isoformat() if due else "new"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _import(collection, args) -> int:
    from .transfer import import_file

    summary = import_file(collection, args.path, fmt=args.format, deck_name=args.deck)
    if args.json:
        print(json.dumps({"decks": [
            {"id": r.deck_id, "name": r.name, "kind": r.kind, "added": r.added,
             "updated": r.updated, "skipped": r.skipped} for r in summary.decks]},
            ensure_ascii=False))
    else:
        print("\n".join(summary.lines()))
    for warning in summary.warnings:
        print(f"flashcards: warning: {warning}", file=sys.stderr)
    return 0


def _export(collection, args) -> int:
    from .transfer import export_deck

    path = export_deck(collection, args.deck_id, args.to, fmt=args.format)
    print(f"Exported {collection.deck(args.deck_id).name} to {path}")
    return 0


def _add(collection, args) -> int:
    from .formats.html import clean_html

    try:
        changes = collection.add_card_to_deck_named(args.deck, clean_html(args.front),
                                                    clean_html(args.back), args.tags.split())
    except ValueError as error:
        print(f"flashcards: {error}", file=sys.stderr)
        return 1
    print(changes.created[0])
    return 0


def _backups(collection, args) -> int:
    found = collection.backups()
    if args.json:
        print(json.dumps([{"day": b.day.isoformat(), "device": b.device, "path": str(b.path)}
                          for b in found], indent=2))
    elif not found:
        print("No backups yet: one is kept each day the app is used.")
    for backup in [] if args.json else found:
        print(f"{backup.day.isoformat()}  {backup.device}  {backup.path}")
    return 0


def _restore(collection, args) -> int:
    from pathlib import Path

    from .transfer import restore_backup

    by_day = {b.day.isoformat(): b.path for b in collection.backups()
              if b.device == collection.store.device_id}
    path = by_day.get(args.backup) or Path(args.backup)
    changes = restore_backup(collection, path)
    print(f"Restored {path.name}." if changes else
          f"Nothing to restore: the collection already matches {path.name}.")
    return 0


def _stats(collection, args) -> int:
    from .core.statistics import Period, compute_statistics, decks_named, gather_history

    deck_ids = None
    if args.deck is not None:
        deck_ids = decks_named({deck.id: deck.name for deck in collection.decks()}, args.deck)
        if not deck_ids:
            raise KeyError(f"no deck named {args.deck!r}")
    stats = compute_statistics(gather_history(collection), deck_ids, Period(args.period))
    if args.json:
        print(json.dumps({"deck": args.deck, **_stats_json(stats)}, ensure_ascii=False, indent=2))
        return 0
    print("\n".join(_stats_lines(stats, args.deck)))
    return 0


def _stats_json(stats) -> dict:
    """The statistics as `stats --json` prints them: days as YYYY-MM-DD, times in seconds."""
    def retention(part) -> dict:
        return {"passed": part.passed, "reviews": part.reviews, "rate": part.rate}

    def bins(histogram) -> list[dict]:
        # The last stability bin has no upper end: JSON has no infinity, so it is null.
        return [{"label": label, "from": low, "to": high if high != float("inf") else None,
                 "cards": count} for label, low, high, count in
                zip(histogram.labels, histogram.edges, histogram.edges[1:], histogram.counts)]

    ratings = ("again", "hard", "good", "easy")
    return {
        "period": stats.period.value, "from": stats.first_day.isoformat(),
        "today": stats.today.isoformat(),
        "reviews": {"total": stats.total_reviews, "streak": stats.streak,
                    "by_day": {day.isoformat(): n for day, n in stats.reviews_by_day.items()}},
        "time": {"seconds": round(stats.total_seconds, 3),
                 "by_day": {day.isoformat(): round(seconds, 3)
                            for day, seconds in stats.seconds_by_day.items()}},
        "cards": {**vars(stats.cards), "total": stats.cards.total},
        "forecast": list(stats.forecast),
        "retention": [{"week": week.week.isoformat(), "young": retention(week.young),
                       "mature": retention(week.mature)} for week in stats.retention],
        "buttons": {kind: dict(zip(ratings, getattr(stats.buttons, kind)))
                    for kind in ("learning", "young", "mature")},
        "stability": bins(stats.stability),
        "retrievability": {"average": stats.average_retrievability,
                           "bins": bins(stats.retrievability)},
        "parameters": list(stats.parameters),
    }


def _stats_lines(stats, deck: str | None) -> list[str]:
    """A short summary a person reads at a glance."""
    from .core.statistics import Retention

    cards, period = stats.cards, {"month": "the last 30 days", "year": "the last 365 days",
                                  "all": "all time"}[stats.period.value]
    young = sum((week.young for week in stats.retention), Retention())
    mature = sum((week.mature for week in stats.retention), Retention())
    days = len(stats.reviews_by_day)
    lines = [
        f"{f'Deck {deck}' if deck else 'All decks'}, {period} "
        f"({stats.first_day.isoformat()} to {stats.today.isoformat()})",
        f"Reviews    {stats.total_reviews:,} on {days} day{'s' * (days != 1)}; "
        f"today {stats.reviews_by_day.get(stats.today, 0)}; streak {stats.streak} "
        f"day{'s' * (stats.streak != 1)}",
        f"Time       {_duration(stats.total_seconds)}"
        + (f", {_duration(stats.total_seconds / days)} a day studied" if days else ""),
        f"Cards      {cards.total:,}: {cards.new:,} new, {cards.learning:,} learning, "
        f"{cards.review:,} review ({cards.young:,} young, {cards.mature:,} mature), "
        f"{cards.relearning:,} relearning, {cards.suspended:,} suspended",
        f"Due        today {stats.forecast[0]:,}, next 7 days {sum(stats.forecast[:7]):,}, "
        f"next 30 days {sum(stats.forecast):,}",
        f"Retention  young {_share(young)}, mature {_share(mature)}",
    ]
    if stats.average_retrievability is not None:
        studied = sum(stats.retrievability.counts)
        lines.append(f"Recall     {stats.average_retrievability:.0%} on average now, over "
                     f"{studied:,} studied card{'s' * (studied != 1)}")
    return lines


def _share(retention) -> str:
    if not retention.reviews:
        return "no reviews"
    return f"{retention.rate:.1%} of {retention.reviews:,} review{'s' * (retention.reviews != 1)}"


def _duration(seconds: float) -> str:
    if seconds < 59.5:
        return f"{round(seconds)}s"
    minutes = round(seconds / 60)
    return f"{minutes // 60}h {minutes % 60}m" if minutes >= 60 else f"{minutes}m"


def _plan_break(collection, args) -> int:
    try:
        plan = collection.plan_break(args.away_from, args.away_until)
    except ValueError as error:
        print(f"flashcards: {error}", file=sys.stderr)
        return 1
    applied = _apply(collection, plan, args.dry_run)
    if args.json:
        print(json.dumps({
            "from": plan.away_from.isoformat(), "until": plan.away_until.isoformat(),
            "applied": applied, "moved": len(plan.moves), "before": _by_day(plan.due_before),
            "after": _by_day(plan.due_after),
            "extra_reviews_expected": round(plan.extra_reviews_expected, 2),
            "learning_left": plan.learning_left, "cap": plan.cap}, indent=2))
        return 0
    from .core.memory_tools import break_lines

    print("\n".join(break_lines(plan, applied)))
    return 0


def _spread_backlog(collection, args) -> int:
    try:
        plan = collection.spread_backlog(args.days)
    except ValueError as error:
        print(f"flashcards: {error}", file=sys.stderr)
        return 1
    applied = _apply(collection, plan, args.dry_run)
    if args.json:
        print(json.dumps({"days": plan.days, "applied": applied,
                          "overdue": sum(plan.per_day.values()), "moved": len(plan.moves),
                          "per_day": _by_day(plan.per_day)}, indent=2))
        return 0
    from .core.memory_tools import backlog_lines

    print("\n".join(backlog_lines(plan, applied)))
    return 0


def _apply(collection, plan, dry_run: bool) -> bool:
    """Record the plan unless only looking; whether anything moved."""
    return not dry_run and bool(plan.moves) and bool(collection.apply_plan(plan))


def _by_day(counts: dict) -> dict[str, int]:
    return {day.isoformat(): count for day, count in sorted(counts.items())}


def _optimise(collection, args) -> int:
    from .core.optimiser import NotEnoughReviews, OptimiserUnavailable

    try:
        result = collection.optimise()
    except (OptimiserUnavailable, NotEnoughReviews) as error:
        print(f"flashcards: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"log_loss_before": result.log_loss_before,
                          "log_loss_after": result.log_loss_after, "kept": result.kept,
                          "reviews": result.review_count,
                          "parameters": list(result.parameters)}, indent=2))
        return 0
    from .core.memory_tools import fit_lines

    print("\n".join(fit_lines(result)))
    return 0


COMMANDS = {"decks": _decks, "cards": _cards, "stats": _stats, "import": _import,
            "export": _export, "add": _add, "backups": _backups, "restore": _restore,
            "break": _plan_break, "backlog": _spread_backlog, "optimise": _optimise}

if __name__ == "__main__":
    sys.exit(main())
