from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def dashboard(request):
    return render(request, "observatory/dashboard.html")
