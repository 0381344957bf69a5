"""Log in and out, change the password, and the home page that sends each role to its pages."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

from organisation.roles import Role, has_role
from web.access import own_employee


@login_required(login_url=reverse_lazy("web:login"))
def home(request: HttpRequest) -> HttpResponse:
    if has_role(request.user, Role.MANAGER, Role.ADMIN):
        return redirect("web:dashboard")
    if has_role(request.user, Role.PAYROLL):
        return redirect("web:periods")
    if own_employee(request) is not None:
        return redirect("web:my-week")
    return redirect("web:password-change")


class LoginView(auth_views.LoginView):
    template_name = "web/account/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("web:home")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("web:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/account/password_change.html"
    success_url = reverse_lazy("web:password-change-done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:  # our login page, not the admin's
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        return super().dispatch(request, *args, **kwargs)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "web/account/password_change_done.html"
