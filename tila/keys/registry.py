"""Which model fields hold sealed text, so that ``rotate_data_keys`` can re-encrypt them.

An app that stores ``seal()`` tokens registers each such field in its ``AppConfig.ready()``::

    register_sealed_field(Note, "body", lambda note: f"notes.Note.body:{note.uuid}")

``context_fn(instance)`` must return exactly the ``context`` the app passes to ``seal()`` and
``unseal()`` for that field. A sealed field that is not registered is not re-encrypted by a
data key rotation; its values stay readable under the retired key, which is then kept.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class SealedField:
    model: type[models.Model]
    field_name: str
    context_fn: Callable[[Any], str]

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field_name}"


_fields: dict[tuple[str, str], SealedField] = {}


def register_sealed_field(model: type[M], field_name: str, context_fn: Callable[[M], str]) -> None:
    """Declare that ``model.field_name`` holds tokens from ``tila.keys.sealing.seal``.

    Registering the same field again replaces the earlier entry.
    """
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.TextField | models.CharField):
        raise TypeError(f"{model._meta.label}.{field_name} must be a text field to hold tokens")
    _fields[(model._meta.label, field_name)] = SealedField(model, field_name, context_fn)


def sealed_fields() -> tuple[SealedField, ...]:
    return tuple(_fields.values())
