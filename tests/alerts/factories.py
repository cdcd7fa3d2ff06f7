from datetime import timedelta

import factory
from django.utils import timezone

from alerts.enums import AlertKind, Frequency
from alerts.models import Alert, Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    site_url = "http://testserver/"


class AlertFactory(factory.django.DjangoModelFactory):
    """An unconfirmed weekly search alert; `confirmed=True`: confirmed a week ago and
    due now."""

    class Meta:
        model = Alert

    subscriber = factory.SubFactory(SubscriberFactory)
    kind = AlertKind.SEARCH
    query = ""
    frequency = Frequency.WEEKLY

    class Params:
        confirmed = factory.Trait(
            confirmed_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=7)),
            last_sent_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=7)),
            due_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1)),
        )
        agenda = factory.Trait(kind=AlertKind.AGENDA)
