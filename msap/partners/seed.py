"""Keep the reference data of annex 1 and annex 2 in the database (idempotent upsert)."""

from django.db import connections

from msap.partners.models import Partner, PartnerKind, ServiceCategory, ServiceItem
from msap.partners.rules import NATIONAL_OPERATORS, SERVICE_OFFER


def seed_reference_data(using="default", **kwargs) -> None:
    tables = connections[using].introspection.table_names()
    if Partner._meta.db_table not in tables or ServiceItem._meta.db_table not in tables:
        return  # migrated backwards past the partners tables: nothing to seed

    for code, short_name, name, website in NATIONAL_OPERATORS:
        Partner.objects.using(using).update_or_create(
            code=code,
            defaults={
                "short_name": short_name,
                "name": name,
                "website": website,
                "kind": PartnerKind.NATIONAL,
            },
        )
    for cat_pos, (cat_code, cat_label, items) in enumerate(SERVICE_OFFER):
        category, _ = ServiceCategory.objects.using(using).update_or_create(
            code=cat_code, defaults={"label": cat_label, "position": cat_pos}
        )
        for pos, (item_code, item_label) in enumerate(items):
            ServiceItem.objects.using(using).update_or_create(
                code=item_code,
                defaults={"label": item_label, "category": category, "position": pos},
            )
