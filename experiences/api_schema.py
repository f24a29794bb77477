"""How the JSON APIs describe the report filters and the map's GeoJSON (the generated /api/openapi.yaml).

The values come from the declaration of the filters (experiences/filters.py) and the
vocabulary, so the description cannot drift from what the endpoints accept. The
parameters are only *described* here: they are read as text and checked by the filter
layer (experiences/filters.py, search/params.py), which keeps its own messages, its
"theme=a,b" lists and its 400 body (cooperation_hub/api_errors.py).
"""

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

from cooperation_hub.query import MAX_QUERY_LENGTH, MAX_QUERY_WORDS

from .filters import MAX_TAG_LENGTH, REPORT_FILTERS

LANGUAGES = ("fr", "en")
FILTER_DESCRIPTIONS = {
    "sdg": "Sustainable Development Goal numbers.",
    "country": "ISO 3166-1 alpha-2 codes (any case).",
}


def filter_value_schema(name: str) -> dict[str, Any]:
    """The JSON schema of one value of the report filter ``name``."""
    spec = REPORT_FILTERS[name]
    if name == "sdg":
        return {"type": "integer", "minimum": 1, "maximum": 17}
    if name == "country":
        return {"type": "string", "pattern": "^[A-Za-z]{2}$"}
    if name == "tag":
        return {"type": "string", "maxLength": MAX_TAG_LENGTH}
    return {"type": "string", "enum": [term.slug for term in spec.terms]}


def described(schema: dict[str, Any]) -> WithJsonSchema:
    """For ``Annotated[str | None, described(schema)]``: text read by our own parser (no
    validation here), described in the OpenAPI document as ``schema``."""
    return WithJsonSchema(schema)


Q_DESCRIPTION = (
    'Words, `"a phrase"`, in French or English. Empty lists the newest items.\n'
    "Only words and quoted phrases count: other punctuation and the operators\n"
    f"AND, OR, NOT, NEAR are ignored. At most {MAX_QUERY_LENGTH} characters and {MAX_QUERY_WORDS} words (400 otherwise).\n"
)
LANG_DESCRIPTION = "Language of the answer (translations, snippets); French when absent."
LANG_SCHEMA = {"type": "string", "enum": list(LANGUAGES), "default": "fr"}
# The search text and the answer's language, as the list, the map and the search APIs take them.
QueryText = Annotated[str | None, described({"type": "string", "maxLength": MAX_QUERY_LENGTH})]
Lang = Annotated[str | None, described(LANG_SCHEMA)]


class MapQuery(Schema):
    """The map's parameters: those of the experience list, one value each."""

    lang: Lang = Field(None, description=LANG_DESCRIPTION)
    q: QueryText = Field(None, description=Q_DESCRIPTION)
    theme: Annotated[str | None, described(filter_value_schema("theme"))] = None
    sdg: Annotated[str | None, described(filter_value_schema("sdg"))] = Field(
        None, description="A Sustainable Development Goal number."
    )
    country: Annotated[str | None, described(filter_value_schema("country"))] = Field(
        None, description="An ISO 3166-1 alpha-2 code."
    )
    region: Annotated[str | None, described(filter_value_schema("region"))] = None
    size: Annotated[str | None, described(filter_value_schema("size"))] = None
    status: Annotated[str | None, described(filter_value_schema("status"))] = None
    tag: Annotated[str | None, described(filter_value_schema("tag"))] = None
    v: str | None = Field(
        None,
        description="Any value, not read: the map page sends the site's version, so that a browser's kept "
        "copy of an older version is not used after a publication.",
    )


# --- the answer: a GeoJSON FeatureCollection (experiences/mapping.py) ------------------------------------

Position = Annotated[list[float], Field(min_length=2, max_length=2, description="[longitude, latitude]")]


class _Closed(Schema):
    model_config = {"extra": "forbid"}


class MapReport(_Closed):
    title: str
    url: str
    status: str


class CityProperties(_Closed):
    kind: Literal["city"]
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    country_name: str = Field(description="The country's name in the language asked for.")
    region: str
    url: str = Field(description="The city's page.")
    count: int = Field(ge=0, description="Its public reports.")
    reports: list[MapReport] = Field(description="The newest reports of the city.")


class Point(_Closed):
    type: Literal["Point"]
    coordinates: Position


class CityFeature(_Closed):
    type: Literal["Feature"]
    id: str = Field(description="The city's slug.")
    geometry: Point
    properties: CityProperties


class LinkProperties(_Closed):
    kind: Literal["link"]
    cities: list[str] = Field(min_length=2, max_length=2, description="The slugs of the two partner cities.")
    count: int = Field(ge=0)
    north_south: bool


class LineString(_Closed):
    type: Literal["LineString"]
    coordinates: list[Position] = Field(min_length=2, max_length=2)


class LinkFeature(_Closed):
    type: Literal["Feature"]
    geometry: LineString
    properties: LinkProperties


class FeatureCollection(Schema):
    """One Point per city with public reports, one LineString per pair of partner cities; other apps
    add top-level members (the partnerships app: ``partnerships``)."""

    type: Literal["FeatureCollection"]
    features: list[CityFeature | LinkFeature]
    statuses: dict[str, str] = Field(description="The label of each report status in `lang`.")
    # Other apps add top-level members through the ``experiences_map_geojson`` hook (partnerships:
    # "partnerships"): the collection stays open to them.
