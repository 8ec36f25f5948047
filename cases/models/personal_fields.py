"""Model fields for personal data at rest (cases.personal_data does the cryptography).

- EncryptedCharField: the attribute is plain text (``party.id_number``), the column holds
  ``v1:<kid>:<base64>``. It cannot be filtered on (a random nonce makes every encryption differ):
  a lookup raises FieldError naming the blind index to use instead.
- BlindIndexField: the HMAC of another field's value, derived on every INSERT / save (pre_save, which
  bulk_create calls too). PersonalDataQuerySet keeps it in step on update() and bulk_update(), and
  PersonalDataModel on save(update_fields=[...]).
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db import models

from ..personal_data import INDEX_HEX_CHARS, KINDS, blind_index, decrypt, encrypt


class EncryptedCharField(models.CharField):
    """A CharField stored encrypted (column type text: the ciphertext is longer than max_length,
    which still limits the plain value in forms and full_clean)."""

    personal_data = True  # cases.bulk.bulk_insert prepares these values itself

    def __init__(self, *args, purpose: str, **kwargs):
        self.purpose = purpose  # the associated data: a value moved to another column does not decrypt
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value, purpose=self.purpose)

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        return value if value is None else encrypt(value, purpose=self.purpose)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted: filter on its blind index "
            f"(e.g. {self.model.__name__}.objects.matching({self.name}=...)), not with __{lookup_name}"
        )

    def get_transform(self, lookup_name):
        return None


class BlindIndexField(models.CharField):
    """The blind index of the field `source` (kind "id" or "phone"): "" when the source is empty."""

    personal_data = True

    def __init__(self, *args, source: str, kind: str, **kwargs):
        if kind not in KINDS:
            raise ValueError(f"BlindIndexField kind {kind!r}: one of {KINDS}")
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", INDEX_HEX_CHARS)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["kind"] = self.source, self.kind
        return name, path, args, kwargs

    def compute(self, value: str | None) -> str:
        return blind_index(self.kind, value or "")

    def pre_save(self, model_instance, add):
        value = self.compute(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def _indexes(model) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def _with_indexes(model, fields) -> list[str]:
    """`fields` (names) plus the blind indexes derived from any of them."""
    fields = list(fields)
    return fields + [f.name for f in _indexes(model) if f.source in fields and f.name not in fields]


class PersonalDataQuerySet(models.QuerySet):
    def matching(self, **values: str):
        """Exact match on encrypted fields through their blind indexes: matching(id_number="3405…X")."""
        by_source = {f.source: f for f in _indexes(self.model)}
        lookups = {}
        for name, value in values.items():
            if name not in by_source:
                raise FieldError(f"{self.model.__name__}.{name} has no blind index")
            lookups[by_source[name].name] = by_source[name].compute(value)
        return self.filter(**lookups)

    def update(self, **kwargs):
        for index in _indexes(self.model):
            if index.source in kwargs and index.name not in kwargs:
                value = kwargs[index.source]
                if value is not None and not isinstance(value, str):
                    raise FieldError(f"{self.model.__name__}.{index.source}: update() needs a plain value")
                kwargs[index.name] = index.compute(value)
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]  # Django's flag on a method; mypy has no function attributes

    def bulk_update(self, objs, fields, batch_size=None):
        fields = _with_indexes(self.model, fields)
        for index in _indexes(self.model):
            if index.name in fields:
                for obj in objs:
                    index.pre_save(obj, add=False)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True  # type: ignore[attr-defined]  # as update's


class PersonalDataModel(models.Model):
    """save(update_fields=[...]) also writes the blind indexes of the fields named."""

    objects = PersonalDataQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = _with_indexes(type(self), kwargs["update_fields"])
        return super().save(*args, **kwargs)
