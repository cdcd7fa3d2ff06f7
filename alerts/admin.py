"""Alerts in the admin, for administrators: how many, of what kind; the address only
on the subscriber's page (personal data)."""

from django.contrib import admin

from alerts.models import Alert, Subscriber


class AlertInline(admin.TabularInline):
    model = Alert
    extra = 0
    fields = ["kind", "query", "theme", "frequency", "confirmed_at", "last_sent_at", "due_at"]
    readonly_fields = fields


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "confirmed_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "site_url", "created_at", "confirmed_at"]
    inlines = [AlertInline]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "frequency", "confirmed_at", "last_sent_at", "due_at"]
    list_filter = ["kind", "frequency"]
    readonly_fields = ["subscriber", "token", "created_at", "confirmed_at", "last_sent_at"]
    raw_id_fields = ["theme"]
