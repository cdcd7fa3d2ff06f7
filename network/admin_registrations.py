"""What administrators do with an event's registrants from the events' list: export the
attendance list (CSV or XLSX, through tablib as the other exports of the admin) and
write to them (one e-mail each, through the task queue). Registrations hold personal
data: these actions need the permission to see them, which editors do not have."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from tablib import Dataset

from network.enums import RegistrationStatus
from network.models import Registration
from network.services import registrants_message, waiting_list_refill

STATUS_ORDER = [
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.PENDING,
]
COLUMNS = [
    "Événement", "Début (heure de Paris)", "Nom", "Adresse e-mail", "Organisation", "Statut",
    "Rang sur la liste d’attente", "Demandée le", "Confirmée le",
]  # fmt: skip


def paris(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def attendance(events) -> Dataset:
    """One row per registration: the confirmed first, then the waiting list in its
    order, then those not confirmed yet; events in the order of their start."""
    data = Dataset(headers=COLUMNS, title="Inscrits")
    registrations = Registration.objects.filter(event__in=events).select_related("event")
    rows = sorted(
        registrations,
        key=lambda r: (
            r.event.starts_at, r.event_id, STATUS_ORDER.index(r.status),
            r.confirmed_at or r.waiting_since or r.created_at, r.pk,
        ),
    )  # fmt: skip
    rank = {}
    for registration in rows:
        waiting = registration.status == RegistrationStatus.WAITING
        if waiting:
            rank[registration.event_id] = rank.get(registration.event_id, 0) + 1
        data.append([
            registration.event.title, paris(registration.event.starts_at), registration.name,
            registration.email, registration.organisation, registration.get_status_display(),
            rank[registration.event_id] if waiting else "", paris(registration.created_at),
            paris(registration.confirmed_at),
        ])  # fmt: skip
    return data


class MessageForm(forms.Form):
    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 12}))
    waiting_too = forms.BooleanField(
        label="Aussi aux personnes sur liste d’attente", required=False, initial=False
    )


class RegistrantsAdminMixin:
    """Actions of EventAdmin on the registrants of the selected events."""

    actions = ["export_csv", "export_xlsx", "message_registrants"]

    def has_registrants_permission(self, request) -> bool:
        return request.user.has_perm("network.view_registration")

    def has_message_permission(self, request) -> bool:
        return request.user.has_perm("network.change_registration")

    def attendance_response(self, queryset, fmt: str, content_type: str) -> HttpResponse:
        content = attendance(queryset).export(fmt)
        response = HttpResponse(content, content_type=content_type)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="inscrits-{stamp}.{fmt}"'
        return response

    @admin.action(description="Exporter la liste des inscrits (CSV)", permissions=["registrants"])
    def export_csv(self, request, queryset):
        return self.attendance_response(queryset, "csv", "text/csv; charset=utf-8")

    @admin.action(description="Exporter la liste des inscrits (XLSX)", permissions=["registrants"])
    def export_xlsx(self, request, queryset):
        return self.attendance_response(
            queryset,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    @admin.action(description="Écrire aux inscrits", permissions=["message"])
    def message_registrants(self, request, queryset):
        """A form (objet, message) on an intermediate page; sending queues one e-mail
        per registrant and comes back to the list with how many."""
        form = MessageForm(data=request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = registrants_message(events=queryset, **form.cleaned_data)
            self.message_user(
                request,
                f"{count} e-mail{'s' if count > 1 else ''} en cours d’envoi aux inscrits.",
                messages.SUCCESS,
            )
            return None
        confirmed = Registration.objects.filter(
            event__in=queryset, status=RegistrationStatus.CONFIRMED
        ).count()
        context = {
            **self.admin_site.each_context(request),
            "title": "Écrire aux inscrits",
            "opts": self.model._meta,
            "events": queryset,
            "confirmed": confirmed,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/network/event/message_registrants.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = waiting_list_refill(event=obj)
            if promoted:
                self.message_user(
                    request,
                    f"{len(promoted)} personne(s) de la liste d’attente inscrite(s) et "
                    "prévenue(s) par e-mail.",
                    messages.SUCCESS,
                )
