"""Records in the import format, and a small world of experiences for the filter tests."""

import json

from experiences.importer import import_lines


def record(external_id: str, language: str = "en", **extra) -> dict:
    data = {
        "external_id": external_id,
        "language": language,
        "title": f"Report {external_id} ({language})",
        "summary": f"Summary of {external_id}.",
        "city": "Testville",
        "country": "FR",
    }
    data.update(extra)
    return data


def lines(*records: dict) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in records]


def import_records(*records: dict, dry_run: bool = False, publish: bool = True):
    return import_lines(lines(*records), dry_run=dry_run, publish=publish)


# Six English reports whose facts cross every facet (ids start with "flt-").
WORLD = [
    record("flt-dakar-solar", city="Dakar", country="SN", population=1_100_000, latitude=14.69, longitude=-17.44,
           themes=["energy-climate"], sdgs=[7, 11], tags=["solar", "schools"], status="completed",
           partner_cities=[{"city": "Lyon", "country": "FR"}], summary="Solar kiosks for the markets of Dakar."),
    record("flt-lyon-bikes", city="Lyon", country="FR", population=520_000, latitude=45.76, longitude=4.84,
           themes=["mobility-transport", "energy-climate"], sdgs=[11], tags=["bikes"], status="in_progress",
           summary="Shared bicycles across the metropolis."),
    record("flt-cahors-market", city="Cahors", country="FR", population=19_000,
           themes=["food-consumption"], sdgs=[2, 12], tags=["market", "schools"], status="planned",
           summary="A covered market for local producers."),
    record("flt-hue-heritage", city="Hue", country="VN", population=450_000,
           themes=["leisure-culture"], sdgs=[11], tags=["heritage"], status="completed",
           partner_cities=[{"city": "Cahors", "country": "FR"}], summary="Digital archive of the imperial city."),
    record("flt-dubai-happiness", city="Dubai", country="AE", population=3_600_000,
           themes=["health-wellbeing", "digital-governance"], sdgs=[3, 11], tags=["happiness index"],
           status="in_progress", summary="Measuring the happiness of residents with a citywide index."),
    record("flt-annecy-lake", city="Annecy", country="FR", population=130_000,
           themes=["habitat-environment", "energy-climate"], sdgs=[6, 13], tags=["water"], status="completed",
           summary="Cooling public buildings with lake water."),
]  # fmt: skip
