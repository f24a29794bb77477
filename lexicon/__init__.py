"""A bilingual (French <-> English) domain lexicon, so that a search finds reports written in the other language.

``expand(terms, language)`` is the one entry point of search (lexicon/lexicon.py).
"""


def expand(terms, language=None):  # noqa: ANN001, ANN201 - documented in lexicon.lexicon.expand
    from .lexicon import expand as _expand

    return _expand(terms, language)
