import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    """The requests' dossier column, as link rows."""
    ServiceRequest = apps.get_model("desk", "ServiceRequest")
    LinkedRequest = apps.get_model("dossiers", "LinkedRequest")
    rows = ServiceRequest.objects.filter(dossier__isnull=False).values_list("pk", "dossier_id")
    LinkedRequest.objects.bulk_create(
        [LinkedRequest(request_id=pk, dossier_id=dossier_id) for pk, dossier_id in rows.iterator()],
        batch_size=1000,
    )


def copy_back(apps, schema_editor):
    ServiceRequest = apps.get_model("desk", "ServiceRequest")
    LinkedRequest = apps.get_model("dossiers", "LinkedRequest")
    for link in LinkedRequest.objects.iterator():
        ServiceRequest.objects.filter(pk=link.request_id).update(dossier_id=link.dossier_id)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_request_dossier_link"),
        ("dossiers", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LinkedRequest",
            fields=[
                (
                    "request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="dossier_link",
                        serialize=False,
                        to="desk.servicerequest",
                    ),
                ),
                ("linked_at", models.DateTimeField(auto_now_add=True)),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="request_links",
                        to="dossiers.dossier",
                    ),
                ),
            ],
            options={
                "verbose_name": "demande rattachée",
                "verbose_name_plural": "demandes rattachées",
            },
        ),
        migrations.RunPython(copy_links, copy_back),
    ]
