import datetime

import factory
from django.utils import timezone

from resources.enums import Kind, Status
from resources.models import Organisation, Resource, Tag, Theme
from resources.services import resource_refresh_derived


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"mot {n}")
    slug = factory.LazyAttribute(lambda o: o.name.replace(" ", "-"))


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published guide by default. `tags=[...]` and `themes=[...]` set relations;
    the derived search columns are then computed as the admin would."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Ressource numéro {n}")
    slug = factory.Sequence(lambda n: f"ressource-{n}")
    summary = "Un résumé de la ressource."
    body = "Une présentation **en Markdown**."
    kind = Kind.GUIDE
    status = Status.PUBLISHED
    year = 2020
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)
        future = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
        )
        case = factory.Trait(kind=Kind.CASE)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def publishers(self, create, extracted, **kwargs):
        if create and extracted:
            self.publishers.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)
        if create:
            resource_refresh_derived(resource=self)
