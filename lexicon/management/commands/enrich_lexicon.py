"""manage.py enrich_lexicon: add FreeDict pairs that our corpus uses to lexicon/data/freedict.tsv."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lexicon import freedict
from lexicon.lexicon import CORE_FILE, FREEDICT_FILE, read_tsv, vocabulary_pairs

HEADER = """Cooperation Hub lexicon: pairs from FreeDict, written by `manage.py enrich_lexicon`.
Source: FreeDict fra-eng and eng-fra (Debian dict-freedict-fra-eng, dict-freedict-eng-fra),
(c) 2000-2022 FreeDict contributors, licensed GPL-2.0-or-later (/usr/share/doc/dict-freedict-*/copyright).
Kept: one-word pairs whose both words our reports, contributions, tags or vocabulary use,
not already in core.tsv, and no word that the lexicon has in the other language.
Do not edit by hand: correct a pair in the Wagtail admin (Snippets > Lexicon) or in core.tsv."""


class Command(BaseCommand):
    help = "Keep the FreeDict French-English pairs whose words our corpus uses (lexicon/data/freedict.tsv)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--dictd-dir", default=str(freedict.DICTD_DIR), help="Where the dictd files are (default: %(default)s)."
        )
        parser.add_argument("--output", default=str(FREEDICT_FILE), help="The file written (default: %(default)s).")
        parser.add_argument("--dry-run", action="store_true", help="Count the pairs, write nothing.")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        directory = Path(options["dictd_dir"])
        missing = [name for name in freedict.DICTIONARIES.values() if not (directory / f"{name}.index").exists()]
        if missing:
            raise CommandError(
                f"FreeDict dictionaries not found in {directory}: {', '.join(missing)}. "
                "Install them with: apt-get install -y dict-freedict-fra-eng dict-freedict-eng-fra"
            )
        corpus = freedict.corpus_keys()
        entries = {
            language: freedict.read_dictionary(name, directory) for language, name in freedict.DICTIONARIES.items()
        }
        known = [*read_tsv(CORE_FILE, "core"), *vocabulary_pairs()]
        pairs = freedict.select_pairs(entries, corpus, known)
        self.stdout.write(f"{len(pairs)} FreeDict pairs kept ({len(corpus)} distinct words in the corpus).")
        if options["dry_run"]:
            return
        freedict.write_tsv(pairs, Path(options["output"]), HEADER)
        from lexicon.lexicon import bump_generation, file_pairs

        file_pairs.cache_clear()
        bump_generation()
        self.stdout.write(f"Written to {options['output']}.")
