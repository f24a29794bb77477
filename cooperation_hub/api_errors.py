"""The error body every JSON API under /api/ answers with, and the exception that produces it.

``{"error": "invalid parameters" | "not found" | "server error" | "service unavailable",
"errors": {parameter: readable message}}``. An endpoint raises ``ApiError``; the API
(cooperation_hub/json_api.py) turns it into the body and status. The same body is
written by the request guard (a NUL in a parameter, cooperation_hub/request_guards.py)
and the 500/503 handler (cooperation_hub/errors.py), which run outside any endpoint.
"""

from typing import Literal

from ninja import Field, Schema

ERROR_KINDS = {400: "invalid parameters", 404: "not found", 500: "server error", 503: "service unavailable"}


class Error(Schema):
    error: Literal["invalid parameters", "not found", "server error", "service unavailable"]
    errors: dict[str, str] = Field(description="A readable message per parameter.")

    model_config = {
        "extra": "forbid",
        "json_schema_extra": {
            "example": {"error": "invalid parameters", "errors": {"sdg": "An SDG is a number from 1 to 17."}}
        },
    }


class ApiError(Exception):
    """A request an endpoint refuses: a 400 (bad parameters) or a 404, with a message per parameter."""

    def __init__(self, errors: dict[str, str], status: int = 400):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors
        self.status = status

    def body(self) -> dict[str, object]:
        return {"error": ERROR_KINDS[self.status], "errors": self.errors}
