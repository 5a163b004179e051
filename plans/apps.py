from django.apps import AppConfig


class PlansConfig(AppConfig):
    """The city (its names and contact, as data), its plans (each a set of recommendations
    from one source) and the parties responsible for carrying them out."""

    name = "plans"
