"""The JSON Lines import format (docs/product.md) as a declared pydantic schema.

Each field says what it accepts and the one reason a person reads when it does
not (``rule`` for a check of the value, ``otherwise`` for anything else wrong
with it: wrong type, out of range). ``parse_line`` turns the first failure into
that reason, which the importer prints as ``line N: reason``: the wording is a
public interface (people fix their files from it, tests check it), so pydantic's
own messages never reach the user.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    WrapValidator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from . import vocabulary
from .regions import is_country_code

REQUIRED = ("external_id", "language", "title", "summary", "city", "country")
ERROR = "import"  # the type of every error this schema raises with a reason of its own


# --- How a field states its reason ----------------------------------------------------------
# A reason may name where the value is ("{where}": "partner_cities[2].country", "{item}":
# "partner_cities[2]") and show it ("{shown}": its repr); parse_line fills them in.
def _fail(reason: str, value: Any = None) -> PydanticCustomError:
    return PydanticCustomError(ERROR, "invalid", {"reason": reason, "shown": repr(value)})


def rule(check: Callable[[Any], bool], reason: str | Callable[[Any], str]) -> AfterValidator:
    """The value must pass ``check``; otherwise ``reason`` (or ``reason(value)``)."""

    def validate(value: Any) -> Any:
        if not check(value):
            raise _fail(reason(value) if callable(reason) else reason, value)
        return value

    return AfterValidator(validate)


def check(predicate: Callable[[Any], bool]) -> AfterValidator:
    """A condition whose failure reads as the enclosing ``otherwise``."""

    def validate(value: Any) -> Any:
        if not predicate(value):
            raise ValueError("invalid")
        return value

    return AfterValidator(validate)


def otherwise(reason: str) -> WrapValidator:
    """Any failure of the annotations before this one that has no reason of its own reads ``reason``."""

    def validate(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError as exc:
            if all(error["type"] == ERROR for error in exc.errors()):
                raise  # a nested field's own reason, with its location
            raise _fail(reason, value) from None

    return WrapValidator(validate)


# An empty value ("", [], 0, false) means "not given" for these fields, as it always has.
Blank = BeforeValidator(lambda value: value or None)


def _country(value: Any) -> str:
    if not isinstance(value, str) or not is_country_code(value):
        raise _fail("{where}: {shown} is not an ISO 3166-1 alpha-2 country code (e.g. FR, SN, AE)", value)
    return value.upper()


def _finite_number(value: Any) -> bool:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return False
    return not isinstance(value, bool) and number.is_finite() and abs(number) < 10**12


def _http_address(value: Any) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except DjangoValidationError:
        return False
    return True


def known_terms(name: str, terms: tuple[vocabulary.Term, ...]) -> AfterValidator:
    """Every slug of the list is one of ``terms``; otherwise the unknown ones and the allowed ones."""
    allowed = [t.slug for t in terms]
    return rule(
        lambda values: all(v in allowed for v in values or []),
        lambda values: (
            f"unknown {name}: {', '.join(str(v) for v in values if v not in allowed)}; allowed: {', '.join(allowed)}"
        ),
    )


def _languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]  # at call time: override_settings applies


def _statuses() -> list[str]:
    return [t.slug for t in vocabulary.STATUSES]


# The field kinds the schema repeats. Type aliases rather than factory calls, so that a type
# checker reads each field's type; "{where}" is the field's name in a reason (parse_line).
Text = Annotated[StrictStr | None, otherwise("{where} must be a string")]
RequiredText = Annotated[StrictStr, otherwise("{where} must be a string")]
# A positive whole number that fits the column (a 4-byte integer on PostgreSQL; SQLite
# refuses what exceeds 8 bytes) or null; a year within [1800, 2100].
Whole = Annotated[
    Annotated[StrictInt, Field(ge=0, le=2_147_483_647)] | None,
    otherwise("{where} must be a positive whole number (at most 2147483647) or null"),
]
Year = Annotated[
    Annotated[StrictInt, Field(ge=0)] | None,
    rule(lambda v: v is None or 1800 <= v <= 2100, "{where} must be a year between 1800 and 2100, or null"),
    otherwise("{where} must be a positive whole number or null"),
]
Latitude = Annotated[
    StrictInt | StrictFloat | None,
    rule(lambda v: v is None or -90 <= v <= 90, "{where} must be a number between -90 and 90"),
    otherwise("{where} must be a number between -90 and 90"),
]
Longitude = Annotated[
    StrictInt | StrictFloat | None,
    rule(lambda v: v is None or -180 <= v <= 180, "{where} must be a number between -180 and 180"),
    otherwise("{where} must be a number between -180 and 180"),
]


# --- The schema -----------------------------------------------------------------------------
class PartnerCity(BaseModel):
    model_config = ConfigDict(extra="allow")

    city: Annotated[StrictStr, check(bool), otherwise("{item} needs a city name")]
    country: Annotated[Any, AfterValidator(_country)] = Field(default=None, validate_default=True)


class Indicator(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: Annotated[StrictStr, check(bool), otherwise("{item} needs a name")]
    value: Annotated[Any, rule(_finite_number, "{where} must be a number (below one trillion)")] = Field(
        default=None, validate_default=True
    )
    year: Annotated[
        StrictInt | None,
        rule(lambda v: v is None or 1900 <= v <= 2100, "{where} must be a year between 1900 and 2100, or null"),
        otherwise("{where} must be a year between 1900 and 2100, or null"),
    ] = None
    unit: Annotated[StrictStr | None, otherwise("{where} must be a string")] = None


class ExperienceRecord(BaseModel):
    """One line of the import file: one report in one language."""

    model_config = ConfigDict(extra="forbid")

    external_id: Annotated[
        StrictStr,
        rule(lambda v: slugify(v) == v, "external_id must be a slug (lowercase letters, digits and hyphens)"),
        otherwise("{where} must be a string"),
    ]
    language: Annotated[
        StrictStr,
        rule(lambda v: v in _languages(), lambda v: f"unknown language {v!r}; allowed: {', '.join(_languages())}"),
        otherwise("{where} must be a string"),
    ]
    title: Annotated[
        StrictStr,
        rule(lambda v: len(v) <= 255, "title is longer than 255 characters"),
        otherwise("{where} must be a string"),
    ]
    summary: Annotated[
        StrictStr,
        rule(lambda v: len(v) <= 600, "summary is longer than 600 characters"),
        otherwise("{where} must be a string"),
    ]
    city: RequiredText
    country: Annotated[Any, AfterValidator(_country)]
    themes: Annotated[
        list[Any] | None, Blank, known_terms("themes", vocabulary.THEMES), otherwise("themes must be a list")
    ] = None
    actors: Annotated[
        list[Any] | None, Blank, known_terms("actors", vocabulary.ACTORS), otherwise("actors must be a list")
    ] = None
    sdgs: Annotated[
        list[Annotated[StrictInt, Field(ge=1, le=17)]] | None,
        Blank,
        otherwise("sdgs must be a list of numbers from 1 to 17"),
    ] = None
    status: Annotated[
        Any,
        Blank,
        rule(
            lambda v: v is None or v in _statuses(),
            lambda v: f"unknown status {v!r}; allowed: {', '.join(_statuses())}",
        ),
    ] = None
    start_year: Year = None
    end_year: Year = None
    population: Whole = None
    latitude: Latitude = None
    longitude: Longitude = None
    tags: Annotated[
        list[Annotated[StrictStr, check(lambda t: bool(t.strip()) and len(t) <= 100)]] | None,
        Blank,
        otherwise("tags must be a list of non-empty strings of at most 100 characters"),
    ] = None
    partner_cities: Annotated[
        list[Annotated[PartnerCity, otherwise("{item} needs a city name")]] | None,
        Blank,
        otherwise("partner_cities must be a list"),
    ] = None
    indicators: Annotated[
        list[Annotated[Indicator, otherwise("{item} needs a name")]] | None,
        Blank,
        otherwise("indicators must be a list"),
    ] = None
    source_url: Annotated[
        Any, Blank, rule(lambda v: v is None or _http_address(v), "source_url must be an http(s) address")
    ] = None
    body: Text = None
    lessons: Text = None
    budget: Text = None
    funding: Text = None
    contact_email: Text = None

    @model_validator(mode="before")
    @classmethod
    def _whole_record(cls, data: Any) -> Any:
        """What concerns the line as a whole, reported before any single field."""
        if not isinstance(data, dict):
            raise _fail("expected a JSON object")
        if _holds_nul(data):
            # PostgreSQL refuses NUL in text: say so here rather than fail half-way through the import.
            raise _fail("a text contains a NUL character (\\u0000)")
        missing = [name for name in REQUIRED if data.get(name) in (None, "", [])]
        if missing:
            raise _fail(f"missing required field(s): {', '.join(missing)}")
        unknown = sorted(set(data) - set(cls.model_fields))
        if unknown:
            raise _fail(f"unknown field(s): {', '.join(unknown)}")
        return data

    @model_validator(mode="after")
    def _years_in_order(self) -> ExperienceRecord:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise _fail("end_year comes before start_year")
        return self


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _reason(error: ErrorDetails) -> str:
    """The reason of a schema error, its location and value filled in."""
    loc = error["loc"]
    if error["type"] != ERROR:  # not expected: every field states its reasons
        return f"{'.'.join(map(str, loc)) or 'record'}: {error['msg']}"
    item = where = str(loc[0]) if loc else ""
    if len(loc) > 1 and isinstance(loc[1], int):
        item = where = f"{loc[0]}[{loc[1] + 1}]"
    if len(loc) > 2:
        where = f"{item}.{'.'.join(map(str, loc[2:]))}"
    context = error["ctx"]
    # {shown} last: a value is shown as it is, never filled in itself.
    return context["reason"].replace("{item}", item).replace("{where}", where).replace("{shown}", context["shown"])


def parse_line(line: str) -> dict[str, Any]:
    """Decode and validate one line; raise ValueError with a reason a person can act on.

    Returns the record as written in the file, country codes in capitals: the
    importer's fingerprint of a record (what makes a re-import of an unchanged
    line a no-op) is taken from it, and stays what earlier imports stored.
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    try:
        valid = ExperienceRecord.model_validate(record)
    except ValidationError as exc:
        raise ValueError(_reason(exc.errors()[0])) from None
    record["country"] = valid.country
    for partner, checked in zip(record.get("partner_cities") or [], valid.partner_cities or [], strict=True):
        partner["country"] = checked.country
    return record
