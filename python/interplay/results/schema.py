"""The one description of a result's fields: how each is kept, compared and checked.

Every field of :class:`~interplay.Result` is declared with :func:`schema_field`, and so are the
fields of its nested parts (:class:`~interplay.results.Partitions`,
:class:`~interplay.results.PartitionSearch`) that need more than the plain encoding. The
:class:`FieldSchema` in a field's metadata says

* ``encoding``: how pickles and JSON files keep the field (an :class:`Encoding`);
* ``kind``: whether two results must share it to be combined by arithmetic;
* ``check``: the function that validates (and normalises) the field on its own.

Pickles and ``torch.save``, the JSON files, the validation and the arithmetic all read these
declarations, so there is no other list of fields to keep in step: a new field is saved, loaded,
checked and (if ``kind``) compared as soon as it is declared.
"""
from __future__ import annotations

import dataclasses
import enum
import functools
from dataclasses import dataclass
from typing import Any, Callable, Optional

FieldCheck = Callable[[Any, str, Any], Any]
"""A field's own check: ``check(result, name, value)`` gives the normalised value or raises a
ValueError / TypeError naming the problem. It may read the fields declared before it (they are
checked first, in the order of declaration)."""


class Encoding(enum.Enum):
    """How a field is kept in pickles (``torch.save`` included) and in JSON files."""

    PLAIN = "plain"
    """Strings, ints, bools and tuples of them: as they are (JSON lists for tuples)."""
    NUMBERS = "numbers"
    """A float or nested tuples of floats: as they are; in JSON NaN and ±inf are the strings
    ``"NaN"``, ``"Infinity"`` and ``"-Infinity"``."""
    TENSOR = "tensor"
    """A tensor: itself in pickles (dtype and device kept); in JSON nested lists of numbers, read
    back in the dtype the file records for the values."""
    ESTIMATOR = "estimator"
    """An :class:`~interplay.Estimator`: its registered name and parameters."""
    NESTED = "nested"
    """A frozen dataclass (``FieldSchema.nested``): a dict of its fields, each kept by its own
    encoding."""


@dataclass(frozen=True)
class FieldSchema:
    """What the metadata of one field declares (see the module doc)."""

    encoding: Encoding = Encoding.PLAIN
    kind: bool = False
    check: Optional[FieldCheck] = None
    nested: Optional[type] = None


_METADATA_KEY = "interplay.schema"


def schema_field(*, encoding: Encoding = Encoding.PLAIN, kind: bool = False, check: Optional[FieldCheck] = None,
                 nested: Optional[type] = None, default: Any = dataclasses.MISSING) -> Any:
    """A ``dataclasses.field`` whose metadata holds its :class:`FieldSchema` (no default: a
    required field); ``nested`` names the dataclass of a :attr:`Encoding.NESTED` field."""
    if (encoding is Encoding.NESTED) != (nested is not None):
        raise TypeError("a NESTED field names its dataclass in nested=, and only a NESTED field does")
    schema = FieldSchema(encoding=encoding, kind=kind, check=check, nested=nested)
    return dataclasses.field(default=default, metadata={_METADATA_KEY: schema})


def schema_of(field: dataclasses.Field) -> FieldSchema:
    """The schema a field declares (a field declared without one: plain, not kind, no check)."""
    return field.metadata.get(_METADATA_KEY, FieldSchema())


def schema_fields(cls_or_instance: Any) -> tuple[tuple[str, FieldSchema], ...]:
    """Every field of a dataclass (or of its instance) with its schema, in the order declared."""
    return tuple((f.name, schema_of(f)) for f in dataclasses.fields(cls_or_instance))


@functools.lru_cache(maxsize=None)
def kind_names(cls: type) -> tuple[str, ...]:
    """The fields two instances of ``cls`` must share to be combined (declared ``kind=True``)."""
    return tuple(name for name, schema in schema_fields(cls) if schema.kind)
