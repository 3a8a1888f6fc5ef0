"""Abstract base for rows that belong to one organisation (tenant).

The organisation is referenced by its app label, so the kernel does not import tenancy.
Queries on tenant-owned tables go through `for_organisation`, which is the only way a
view or selector should reach them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from django.db.models import Model


class TenantQuerySet(models.QuerySet[Any]):
    def for_organisation(self, organisation: Model | int) -> Self:
        organisation_id = organisation if isinstance(organisation, int) else organisation.pk
        return self.filter(organisation_id=organisation_id)


class TenantOwnedModel(models.Model):
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
