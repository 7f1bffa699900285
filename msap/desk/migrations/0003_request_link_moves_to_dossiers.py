from django.db import migrations


class Migration(migrations.Migration):
    """The request → personal file link now lives in dossiers.LinkedRequest (copied there by
    dossiers 0002): the attendance tool no longer knows of personal files."""

    dependencies = [
        ("desk", "0002_request_dossier_link"),
        ("dossiers", "0002_linked_request"),
    ]

    operations = [
        migrations.RemoveField(model_name="servicerequest", name="dossier"),
    ]
