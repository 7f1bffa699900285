from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "msap.people"
    label = "people"

    def ready(self) -> None:
        from msap.people import roles  # noqa: F401 (connects the roles snapshot's signals)
