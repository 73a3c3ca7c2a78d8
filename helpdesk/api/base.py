"""What both APIs share: operation ids that do not move with the code."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation


class StableNinjaAPI(NinjaAPI):
    """django-ninja names each operation after its function's module path; a client
    generated from the OpenAPI document names its methods after those ids. Here the id
    is a fixed prefix and the function's name, so moving a module breaks no client."""

    def __init__(self, *args: Any, operation_id_prefix: str, **kwargs: Any) -> None:
        self.operation_id_prefix = operation_id_prefix
        super().__init__(*args, **kwargs)

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return f"{self.operation_id_prefix}_{operation.view_func.__name__}"
