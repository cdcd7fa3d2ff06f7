from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def resource_list(request):
    return render(request, "resources/resource_list.html")


@require_safe
def case_list(request):
    return render(request, "resources/case_list.html")
