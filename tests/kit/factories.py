import factory

from kit.enums import ParcoursLevel, PublicationStatus, StepKind
from kit.models import Parcours, Step, Use, UseItem
from tests.resources.factories import ResourceFactory


class UseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Use
        django_get_or_create = ("usage",)

    usage = "se-former"
    summary = "Comprendre les alliances."
    audience = "Les élus et les catalyseurs."
    introduction = "Une **introduction** de l’équipe."


class UseItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UseItem

    use = factory.SubFactory(UseFactory)
    resource = factory.SubFactory(ResourceFactory)
    why = "Parce qu’elle pose les bases."
    position = factory.Sequence(lambda n: n)


class ParcoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parcours

    title = factory.Sequence(lambda n: f"Parcours {n}")
    slug = factory.Sequence(lambda n: f"parcours-{n}")
    summary = "Un parcours pour découvrir."
    audience = "Les nouveaux venus"
    level = ParcoursLevel.DISCOVERY
    status = PublicationStatus.PUBLISHED


class StepFactory(factory.django.DjangoModelFactory):
    """A resource step by default; `text=True` or `diagnostic=True` for the others."""

    class Meta:
        model = Step

    parcours = factory.SubFactory(ParcoursFactory)
    position = factory.Sequence(lambda n: n)
    kind = StepKind.RESOURCE
    resource = factory.SubFactory(ResourceFactory)
    why = "Pour comprendre."
    outcome = "Expliquer ce qu’est une alliance."
    duration_minutes = 30

    class Params:
        text = factory.Trait(kind=StepKind.TEXT, resource=None, title="Une étape libre")
        diagnostic = factory.Trait(kind=StepKind.DIAGNOSTIC, resource=None)
