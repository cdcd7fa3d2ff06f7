"""django-axes, which locks staff logins out after repeated failures, as staff see it:
its admin section is named for what it holds (not "Axes", easily taken for the
diagnostic's axes), and its lockout page carries the admin's own header and title."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib import admin
from django.shortcuts import render


class LoginLockoutConfig(AxesAppConfig):
    verbose_name = "Sécurité des connexions (blocage après échecs)"


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the French lockout page in the admin's layout."""
    return render(request, "admin/locked_out.html", admin.site.each_context(request), status=429)
