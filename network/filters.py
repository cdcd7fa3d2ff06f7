import django_filters

from network.enums import EventKind
from network.models import Event


class EventFilterSet(django_filters.FilterSet):
    """The agenda's query string: a type of event (anything else is ignored, never an
    error page)."""

    type = django_filters.ChoiceFilter(
        field_name="kind", choices=EventKind.choices, label="Type d’événement"
    )

    class Meta:
        model = Event
        fields = []
