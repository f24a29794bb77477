"""One read of the lexicon per request (``lexicon.held_from_first_use``)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .lexicon import held_from_first_use


class LexiconPerRequestMiddleware:
    """Searches and report pages look words up dozens of times; the lexicon in force is
    checked against the shared cache once, at the first lookup, and kept to the end."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with held_from_first_use():
            return self.get_response(request)
