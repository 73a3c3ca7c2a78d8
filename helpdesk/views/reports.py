"""The supervisor's reports page and its CSV exports (thin: parse, read, answer)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from helpdesk import charts
from helpdesk.models import Category, Channel, Directorate, Role
from helpdesk.roles import role_of
from helpdesk.selectors import reports

REPORT_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportFilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE_INPUT)
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        required=False,
        choices=[("", gettext_lazy("All channels")), *Channel.choices],
    )
    directorate = forms.ModelChoiceField(
        label=gettext_lazy("Directorate"),
        required=False,
        queryset=Directorate.objects.all(),
        empty_label=gettext_lazy("All directorates"),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        queryset=Category.objects.select_related("default_section"),
        empty_label=gettext_lazy("All categories"),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        default = reports.ReportFilter.last_days()
        start = data.get("start") or default.start
        end = data.get("end") or default.end
        assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
        if end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if (end - start).days + 1 > reports.MAX_RANGE_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most %(days)d days.") % {"days": reports.MAX_RANGE_DAYS}
            )
        data["start"], data["end"] = start, end
        return data

    def report_filter(self) -> reports.ReportFilter:
        data = self.cleaned_data
        directorate, category = data.get("directorate"), data.get("category")
        return reports.ReportFilter(
            start=data["start"],
            end=data["end"],
            channel=data.get("channel") or "",
            directorate_id=None if directorate is None else directorate.pk,
            category_id=None if category is None else category.pk,
        )


def supervisor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in supervisors and administrators only; everyone else signed in gets 403."""

    @login_required
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if role_of(request.user) not in REPORT_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


@require_GET
@supervisor_required
def reports_page(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reports/index.html", {"form": form, "tables": []}, status=400)
    filters = form.report_filter() if request.GET else reports.ReportFilter.last_days()
    if not request.GET:
        form = ReportFilterForm(initial={"start": filters.start, "end": filters.end})
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "filters": filters,
            "tables": reports.report_tables(filters=filters),
            "charts": report_charts(filters=filters, language=get_language() or "ar"),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@supervisor_required
def reports_export(request: HttpRequest, table: str) -> HttpResponse:
    if table not in reports.REPORT_TABLES:
        raise Http404
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            " ".join(str(e) for e in form.errors.values()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = form.report_filter()
    found = reports.report_table(name=table, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{table}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"'
    )
    write_csv(response, found.columns, found.rows)
    return response


def report_charts(*, filters: reports.ReportFilter, language: str) -> dict[str, SafeString]:
    """The trend charts drawn beside the tables, by the name of their table."""
    days = filters.days()
    labels = [
        charts.format_number(day.day, language=language)
        + "/"
        + charts.format_number(day.month, language=language)
        for day in days
    ]
    counts = reports.conversations_per_channel_per_day(filters=filters)
    channels = sorted({row.channel for row in counts})
    grid = {(row.day, row.channel): row.count for row in counts}
    contacts = [
        charts.Series(
            str(reports.channel_label(channel)), [grid.get((day, channel), 0) for day in days]
        )
        for channel in channels
    ]
    level = reports.daily_service_level(filters=filters)
    sla = reports.daily_sla_compliance(filters=filters)
    rated = reports.daily_satisfaction(filters=filters)
    percent = charts.percent_sign(language)
    return {
        "conversations-per-day": charts.bar_chart(
            title=_("Conversations per day and channel"),
            labels=labels,
            series=contacts,
            language=language,
            stacked=True,
        ),
        "service-level": charts.line_chart(
            title=_("Answered within 20 seconds, per day"),
            labels=labels,
            series=[charts.Series(_("Answered within 20 s"), [level.get(d) for d in days])],
            language=language,
            top_value=100,
            unit=percent,
            decimals=1,
        ),
        "ticket-sla": charts.line_chart(
            title=_("Tickets within their SLA, per day opened"),
            labels=labels,
            series=[
                charts.Series(_("Resolved in time"), [sla["resolution"].get(d) for d in days]),
                charts.Series(
                    _("First response in time"), [sla["first_response"].get(d) for d in days]
                ),
            ],
            language=language,
            top_value=100,
            unit=percent,
            decimals=1,
        ),
        "satisfaction": charts.line_chart(
            title=_("Average rating per day"),
            labels=labels,
            series=[charts.Series(_("Average rating (1–5)"), [rated.get(d) for d in days])],
            language=language,
            top_value=5,
            decimals=2,
        ),
    }


def csv_cell(value: object) -> object:
    """A value safe to open in a spreadsheet: text that would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(
    out: HttpResponse, columns: Iterable[object], rows: Iterable[Iterable[object]]
) -> None:
    # The byte order mark tells Excel the file is UTF-8, so Arabic opens readable.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([csv_cell(column) for column in columns])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
