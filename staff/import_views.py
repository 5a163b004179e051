"""The spreadsheet import in the admin: upload a file, read its preview, confirm (the work is in
staff/imports.py; the command import_progress does the same from a shell).

Between the preview and the confirmation, the uploaded bytes wait on disk under
IMPORT_UPLOAD_DIR, with the recommendations' versions the preview was read at, named by a
random key; the confirm form carries that key signed with the user's id, so it cannot name
another file or be confirmed by someone else. Confirming reads the same bytes again and saves
them against those versions, so a recommendation changed after the preview is refused. Kept
on disk rather than in the session (sessions are saved on every request) or in a second
upload (which would ask the manager to choose the file twice).
"""

import json
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from plans.models import Plan

from .imports import ImportRefused, apply, preview_file

PERMISSION = "recommendations.add_statusupdate"
SALT = "staff.import-progress"
KEEP_SECONDS = 24 * 60 * 60  # a preview can be confirmed for a day


class ImportForm(forms.Form):
    # The plan before the file: the upload handler may stop reading after the file.
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Every plan in the file",
        help_text="Rows of any other plan are refused.",
    )
    file = forms.FileField(
        label="File",
        help_text="The recommendations file from the downloads, edited: CSV or Excel (.xlsx).",
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False  # it was not received: say why instead
        self.fields["file"].help_text += f" At most {_limit_mb()} MB."

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if self.too_large or (upload is not None and upload.size > _limit()):
            self.add_error(
                "file",
                f"This file is larger than {_limit_mb()} MB, more than any recommendations "
                "file. Choose the CSV or .xlsx downloaded from the portal, or import it in parts.",
            )
        return cleaned


class SizeLimit(FileUploadHandler):
    """Stops receiving a file once it passes the limit, instead of writing all of it to disk."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit, self.exceeded = limit, False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers build the file


def _limit():
    return settings.IMPORT_MAX_UPLOAD_BYTES


def _limit_mb():
    return f"{_limit() / 1024 / 1024:g}"


def _check_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _render(request, template, **context):
    context = {**admin.site.each_context(request), "title": "Update from a spreadsheet", **context}
    return TemplateResponse(request, f"admin/import/{template}", context)


@csrf_exempt  # checked below, once the size limit is in place to read the body
def upload(request):
    _check_permission(request)
    if request.method != "POST":
        return _render(request, "upload.html", form=ImportForm())
    limit = SizeLimit(request, _limit())
    request.upload_handlers.insert(0, limit)
    return _receive(request, limit)


@csrf_protect
def _receive(request, limit):
    form = ImportForm(request.POST, request.FILES, too_large=limit.exceeded)
    if not form.is_valid():
        return _render(request, "upload.html", form=form)
    upload, plan = form.cleaned_data["file"], form.cleaned_data["plan"]
    data = upload.read()
    preview = preview_file(data, upload.name, plan=plan, user=request.user)
    token = _keep(request, data, upload.name, plan, preview) if preview.can_apply else None
    return _render(request, "preview.html", preview=preview, token=token, plan=plan)


@require_POST
def confirm(request):
    _check_permission(request)
    pending = _pending(request, request.POST.get("token", ""))
    if pending is None:
        messages.error(
            request,
            "This preview has expired or was already used, so nothing was saved. Upload the "
            "file again.",
        )
        return redirect("staff:import-progress")
    key, data, meta = pending
    plan = Plan.objects.filter(slug=meta["plan"]).first() if meta["plan"] else None
    preview = preview_file(
        data, meta["name"], plan=plan, user=request.user, versions=meta["versions"]
    )
    try:
        result = apply(preview, user=request.user)
    except ImportRefused as refused:
        _forget(key)
        # Read the file again against what is saved now: the manager confirms that instead.
        fresh = preview_file(data, meta["name"], plan=plan, user=request.user)
        token = _keep(request, data, meta["name"], plan, fresh) if fresh.can_apply else None
        return _render(
            request, "preview.html", preview=fresh, token=token, plan=plan, refused=refused
        )
    _forget(key)
    if result.records or result.edits:
        messages.success(
            request,
            f"Saved from {meta['name']}: {result.records} new status "
            f"record{'s' * (result.records != 1)} and {result.edits} "
            f"edit{'s' * (result.edits != 1)}, in your name.",
        )
    else:
        messages.info(request, f"Nothing to change: {meta['name']} matches what is saved.")
    return redirect("staff:import-progress")


# The uploads awaiting confirmation.


def _directory():
    directory = Path(settings.IMPORT_UPLOAD_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _keep(request, data, name, plan, preview):
    directory = _directory()
    for old in directory.iterdir():
        try:
            if old.stat().st_mtime < time.time() - KEEP_SECONDS:
                old.unlink()
        except OSError:
            pass  # another process removed it first
    key = secrets.token_urlsafe(24)
    (directory / f"{key}.upload").write_bytes(data)
    meta = {"name": name, "plan": plan.slug if plan else None, "versions": preview.versions}
    (directory / f"{key}.json").write_text(json.dumps(meta))
    return signing.dumps({"key": key, "user": request.user.pk}, salt=SALT)


def _pending(request, token):
    """(key, bytes, meta) of the upload the signed token names, or None."""
    try:
        value = signing.loads(token, salt=SALT, max_age=KEEP_SECONDS)
    except signing.BadSignature:
        return None
    if value.get("user") != request.user.pk:
        return None
    key = str(value.get("key", ""))
    directory = Path(settings.IMPORT_UPLOAD_DIR)
    try:
        data = (directory / f"{key}.upload").read_bytes()
        meta = json.loads((directory / f"{key}.json").read_text())
    except (OSError, ValueError):
        return None
    return key, data, meta


def _forget(key):
    directory = Path(settings.IMPORT_UPLOAD_DIR)
    for suffix in (".upload", ".json"):
        (directory / f"{key}{suffix}").unlink(missing_ok=True)
