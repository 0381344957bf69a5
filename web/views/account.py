"""Log in and out, change the password, and the home page that sends each role to its pages."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

from organisation.auth import login_locked
from organisation.roles import Role, has_role
from web.access import own_employee
from web.messages import error_text


@login_required(login_url=reverse_lazy("web:login"))
def home(request: HttpRequest) -> HttpResponse:
    if has_role(request.user, Role.MANAGER, Role.ADMIN):
        return redirect("web:dashboard")
    if has_role(request.user, Role.PAYROLL):
        return redirect("web:periods")
    if own_employee(request) is not None:
        return redirect("web:my-week")
    return redirect("web:password-change")


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form; a username locked by the login lockout (five tries in 15 minutes,
    organisation.auth) is told so instead of "wrong password"."""

    retry_after: int | None = None

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            locked = login_locked(self.request) if self.request is not None else None
            if locked is None:
                raise
            self.retry_after = locked.extra["retry_after_seconds"]
            raise ValidationError(error_text(locked), code=locked.code) from None


class LoginView(auth_views.LoginView):
    template_name = "web/account/login.html"
    form_class = LockoutAuthenticationForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("web:home")

    def form_invalid(self, form: LockoutAuthenticationForm) -> HttpResponse:
        """A locked username answers 429 with Retry-After, the reason on the form."""
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


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
