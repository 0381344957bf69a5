"""Training pages (issue 24). Managers: programmes (sessions, modules, supervised hours),
enrolment, each trainee's progress and sign-off, proficiency per person and queue, meetings
for the roster to place. Operators: my plan and progress, my sessions, my self-study modules
with a "done" button. Views parse a form, call one service and say what happened."""

from datetime import time, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.local_grid import local_instant
from organisation.models import Employee, Queue, QueueProficiency
from organisation.roles import MANAGERS
from organisation.selectors.organisation import employee_list_visible, site_list_managed
from organisation.selectors.proficiency import proficiency_history
from organisation.services.proficiency import proficiency_set
from scheduling.models import Enrolment, Meeting, TrainingProgramme
from scheduling.selectors.rosters import roster_list_visible, roster_training_is_readable
from scheduling.selectors.training import (
    enrolment_progress,
    enrolments_of,
    placed_for,
    programme_list,
)
from scheduling.services import training, training_progress
from web.access import employee_required, own_employee, role_required
from web.form_errors import form_refusal
from web.messages import error_text
from web.params import uuid_or_none
from web.training_forms import (
    EnrolForm,
    MeetingForm,
    ModuleDoneForm,
    ModuleForm,
    ProficiencyForm,
    ProgrammeForm,
    SessionForm,
)

# Which form field a refusal is about.
FIELDS = {
    "training_bad_length": "length_minutes",
    "training_longer_than_window": "length_minutes",
    "trainer_double_booked": "trainer",
    "training_no_mentor": "employee",
    "training_already_enrolled": "employee",
}


def _people(request: HttpRequest) -> QuerySet[Employee]:
    return employee_list_visible(user=request.user).order_by("number")


def _queues(request: HttpRequest) -> QuerySet[Queue]:
    return Queue.objects.filter(site__in=site_list_managed(user=request.user)).order_by("name")


def _saved(form: forms.Form, work: Any, fields: dict[str, str] | None = None) -> bool:
    """Run a service; a refusal goes beside the field it is about."""
    try:
        work()
    except DomainError as exc:
        form_refusal(form, exc, fields if fields is not None else FIELDS)
        return False
    return True


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def training_view(request: HttpRequest) -> HttpResponse:
    """The programmes of my sites, a new programme, and the meetings to place."""
    sites = site_list_managed(user=request.user)
    post = request.POST if request.method == "POST" else None
    what = request.POST.get("form") if post else None
    form = ProgrammeForm(post if what == "programme" else None, queues=_queues(request))
    meeting_form = MeetingForm(post if what == "meeting" else None, people=_people(request))
    if what == "programme" and form.is_valid():
        queue = form.cleaned_data["queue"]
        work = partial(
            training.programme_create,
            site=queue.site,
            queue=queue,
            by=request.user,
            **form.service_fields(),
        )
        if _saved(form, work, {"training_bad_length": "min_supervised_hours"}):
            messages.success(request, _("The programme was created."))
            return redirect("web:training")
    if what == "meeting" and meeting_form.is_valid() and _meeting(request, meeting_form):
        messages.success(request, _("The meeting will be placed by the next roster built."))
        return redirect("web:training")
    first_site = sites.order_by("name").first()
    context = {
        "zone": first_site.timezone if first_site else "UTC",
        "programmes": programme_list(sites=sites),
        "form": form,
        "meeting_form": meeting_form,
        "meetings": Meeting.objects.filter(site__in=sites)
        .prefetch_related("attendees__user")
        .order_by("window_start")[:50],
    }
    return render(request, "web/manager/training.html", context)


def _meeting(request: HttpRequest, form: MeetingForm) -> bool:
    people = list(form.cleaned_data["attendees"])
    site = people[0].team.site
    window = form.window(site.timezone)
    if window is None:
        return False
    data = form.cleaned_data
    work = partial(
        training.meeting_create,
        site=site,
        by=request.user,
        title=data["title"],
        kind=data["kind"],
        length_minutes=data["length_minutes"],
        attendees=people,
        min_share=Decimal(data["min_share_percent"]) / 100,
        window_start=window[0],
        window_end=window[1],
    )
    return _saved(form, work)


def _programme(request: HttpRequest, pk: Any) -> TrainingProgramme:
    row = programme_list(sites=site_list_managed(user=request.user)).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def programme_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """One programme: its sessions, modules and trainees; add to each."""
    programme = _programme(request, pk)
    tz = programme.site.timezone
    post = request.POST if request.method == "POST" else None
    what = request.POST.get("form") if post else None
    people = _people(request).filter(team__site=programme.site)
    session_form = SessionForm(post if what == "session" else None, people=people)
    module_form = ModuleForm(post if what == "module" else None)
    enrol_form = EnrolForm(post if what == "enrol" else None, people=people)
    done = None
    if what == "session" and session_form.is_valid():
        window = session_form.window(tz)
        data = session_form.cleaned_data
        if window is not None and _saved(
            session_form,
            partial(
                training.session_save,
                programme=programme,
                by=request.user,
                topic=data["topic"],
                length_minutes=data["length_minutes"],
                window_start=window[0],
                window_end=window[1],
                trainer=data["trainer"],
                capacity=data["capacity"],
                room=data["room"],
            ),
        ):
            done = _("The session was added; the next roster built places it.")
    if what == "module" and module_form.is_valid():
        work = partial(
            training.module_save, programme=programme, by=request.user, **module_form.cleaned_data
        )
        if _saved(module_form, work, {"training_bad_length": "expected_minutes"}):
            done = _("The module was added.")
    if what == "enrol" and enrol_form.is_valid():
        work = partial(
            training_progress.enrolment_create,
            programme=programme,
            employee=enrol_form.cleaned_data["employee"],
            by=request.user,
        )
        if _saved(enrol_form, work):
            done = _("The operator was enrolled; their plan starts today.")
    if done:
        messages.success(request, done)
        return redirect("web:training-programme", pk=programme.pk)
    enrolments = [
        enrolment_progress(enrolment=e)
        for e in programme.enrolments.select_related("employee__user", "programme__site").order_by(
            "status", "employee__number"
        )
    ]
    context = {
        "zone": tz,
        "programme": programme,
        "session_form": session_form,
        "module_form": module_form,
        "enrol_form": enrol_form,
        "enrolments": enrolments,
    }
    return render(request, "web/manager/training_programme.html", context)


def _enrolment(request: HttpRequest, pk: Any) -> Enrolment:
    row = (
        Enrolment.objects.filter(pk=pk, programme__site__in=site_list_managed(user=request.user))
        .select_related("employee__user", "programme__site", "programme__queue")
        .first()
    )
    if row is None:
        raise Http404
    return row


@role_required(*MANAGERS)
def enrolment_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """A trainee's progress by date, the sessions to mark attended, and the sign-off."""
    enrolment = _enrolment(request, pk)
    progress = enrolment_progress(enrolment=enrolment)
    attended = set(enrolment.attended.values_list("session_id", flat=True))
    sessions = [(s, s.pk in attended) for s in enrolment.programme.sessions.all()]
    context = {
        "zone": enrolment.programme.site.timezone,
        "progress": progress,
        "enrolment": enrolment,
        "sessions": sessions,
    }
    return render(request, "web/manager/training_enrolment.html", context)


@role_required(*MANAGERS)
@require_POST
def enrolment_action_view(request: HttpRequest, pk: Any, action: str) -> HttpResponse:
    enrolment = _enrolment(request, pk)
    try:
        if action == "sign-off":
            training_progress.enrolment_sign_off(enrolment=enrolment, by=request.user)
            messages.success(request, _("Signed off: the roster counts them at the new level."))
        elif action == "attended":
            session = enrolment.programme.sessions.filter(
                pk=uuid_or_none(request.POST.get("session"))
            ).first()
            if session is None:
                raise Http404
            training_progress.session_attended(
                enrolment=enrolment, session=session, by=request.user
            )
            messages.success(request, _("Marked as attended."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, _short(exc))
    return redirect("web:training-enrolment", pk=enrolment.pk)


def _short(exc: DomainError) -> str:
    """The refusal; a shortfall of hours says how many were reached of how many."""
    text = error_text(exc)
    if exc.code == "training_hours_short":
        reached = exc.extra.get("mentored_minutes", 0) / 60
        required = exc.extra.get("required_minutes", 0) / 60
        text += " " + _("%(reached).1f of %(required).1f hours reached.") % {
            "reached": reached,
            "required": required,
        }
    return text


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def proficiency_view(request: HttpRequest) -> HttpResponse:
    """Each person's level per queue, with the day it was reached; record a new one."""
    people = _people(request)
    queues = _queues(request)
    form = ProficiencyForm(
        request.POST if request.method == "POST" else None, people=people, queues=queues
    )
    if request.method == "POST" and form.is_valid():
        work = partial(proficiency_set, by=request.user, **form.cleaned_data)
        if _saved(form, work, {}):
            messages.success(request, _("The level was recorded."))
            return redirect("web:training-proficiency")
    rows = (
        QueueProficiency.objects.filter(employee__in=people)
        .select_related("employee__user", "queue")
        .order_by("employee__number", "queue__name", "-reached_on", "-recorded_at")
    )
    return render(request, "web/manager/training_proficiency.html", {"form": form, "rows": rows})


# --- Operators -----------------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    me = own_employee(request)
    if me is None:
        raise Http404
    return me


@employee_required
def my_training_view(request: HttpRequest) -> HttpResponse:
    """My plan and progress, my sessions since my first plan began (past ones marked) and
    for eight weeks on, my modules with a "done" button until done."""
    me = _me(request)
    now = timezone.now()
    zone = me.team.site.timezone
    plans = [enrolment_progress(enrolment=e) for e in enrolments_of(employee=me)]
    done = {(c.enrolment_id, c.module_id): c for p in plans for c in p.enrolment.completed.all()}
    began = min((p.enrolment.enrolled_on for p in plans), default=None)
    since = local_instant(day=began, wall=time(), timezone=zone) if began else now
    context = {
        "me": me,
        "zone": zone,
        "now": now,
        # Each plan with its modules and their completion (None: not done yet).
        "plans": [(p, [(m, done.get((p.enrolment.pk, m.pk))) for m in _modules(p)]) for p in plans],
        "sessions": placed_for(employee=me, start=min(since, now), end=now + timedelta(weeks=8)),
        "history": proficiency_history(employee=me),
        "done_form": ModuleDoneForm(),
    }
    return render(request, "web/operator/training.html", context)


def _modules(progress: Any) -> Any:
    return progress.enrolment.programme.modules.all()


@employee_required
@require_POST
def my_module_done_view(request: HttpRequest, pk: Any, module: Any) -> HttpResponse:
    me = _me(request)
    enrolment = Enrolment.objects.filter(pk=pk, employee=me).select_related("programme").first()
    row = enrolment.programme.modules.filter(pk=module).first() if enrolment else None
    if enrolment is None or row is None:
        raise Http404
    form = ModuleDoneForm(request.POST)
    minutes = form.cleaned_data["minutes"] if form.is_valid() else None
    try:
        training_progress.module_done(
            enrolment=enrolment, module=row, by=request.user, minutes=minutes
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Marked as done."))
    return redirect("web:my-training")


@role_required(*MANAGERS)
def roster_training_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """What a roster version placed: each session and meeting with its time, who attends and
    why that slot; which mentor sits with which trainee when; training it could not give."""
    # Another site's or team's roster: 404, as its board; a site roster none of whose trainees
    # or mentors are the reader's team's: 403.
    roster = roster_list_visible(user=request.user).filter(pk=pk).first()
    if roster is None:
        raise Http404
    if not roster_training_is_readable(user=request.user, roster=roster):
        raise PermissionDenied
    placed: dict[Any, dict[str, Any]] = {}
    for row in roster.placed.select_related(
        "session__programme", "session__trainer__user", "meeting", "employee__user"
    ).order_by("start", "employee__number"):
        key = row.session_id or row.meeting_id
        entry = placed.setdefault(key, {"row": row, "people": [], "why": row.explanation})
        entry["people"].append(row.employee.full_name)
    pairs = roster.pairings.select_related("trainee__user", "mentor__user", "queue").order_by(
        "trainee__number", "start"
    )
    context = {
        "roster": roster,
        "zone": roster.site.timezone,
        "placed": list(placed.values()),
        "pairs": pairs,
        "shortfalls": roster.solver.get("training_shortfalls", []),
    }
    return render(request, "web/manager/roster_training.html", context)
