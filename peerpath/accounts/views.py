from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_home.jinja")


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staff_home.jinja")
