from django.contrib import admin

from territories.models import Commune


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """Read-only reference data; registered so that forms can search communes."""

    list_display = ["name", "code", "departement", "population"]
    search_fields = ["name", "code", "postcodes"]
    list_select_related = ["departement"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
