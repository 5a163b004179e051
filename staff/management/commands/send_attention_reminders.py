"""Email each implementation manager the recommendations that need attention: the list on the
admin's first page (staff.admin.attention). Run weekly from cron or a systemd timer
(docs/deploy.md).

    python manage.py send_attention_reminders [--dry-run]

It goes to every active staff account given the right to change recommendations, through the
"Implementation manager" group or its own rights; a superuser gets it only when given that
right the same way. An account without an email address is skipped (and named). Nothing is
sent when nothing needs attention. The links are absolute, from the PORTAL_BASE_URL setting;
the email goes through the default mailer (MAILERS in portal/settings.py).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from plans.models import City
from staff.admin.attention import needs_attention

PERMISSION = "recommendations.change_recommendation"


def recipients():
    """The active staff accounts holding the right to change recommendations (not by being
    superusers), by username."""
    return (
        get_user_model()
        .objects.with_perm(
            PERMISSION,
            is_active=True,
            include_superusers=False,
            # Several backends are configured (django-axes first): name the one with the rights.
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_staff=True)
        .order_by("username")
    )


def reminder(user, attention, city):
    """The email to `user`: plain text with an HTML alternative."""
    total = attention.total
    subject = f"{city.partnership_name}: {total} recommendation{'s' if total != 1 else ''} "
    subject += "need attention" if total != 1 else "needs attention"
    context = {
        "user": user,
        "attention": attention,
        "city": city,
        "base_url": settings.PORTAL_BASE_URL,
        "subject": subject,
    }
    message = EmailMultiAlternatives(
        subject,
        render_to_string("staff/attention_reminder.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    message.attach_alternative(
        render_to_string("staff/attention_reminder.html", context), "text/html"
    )
    return message


class Command(BaseCommand):
    help = (
        "Email each implementation manager the recommendations that need attention (no status "
        "update for a while, overdue, start date unknown, translation missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print each email that would be sent; send nothing.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        if not settings.PORTAL_BASE_URL:
            raise CommandError(
                "Set PORTAL_BASE_URL (e.g. https://progress.example.gov): the email's links "
                "need the portal's address."
            )
        attention = needs_attention()
        if not attention.total:
            if verbosity:
                self.stdout.write("Nothing needs attention: no email sent.")
            return
        city = City.current()
        messages = []
        for user in recipients():
            if not user.email:
                if verbosity:
                    self.stdout.write(f"Skipped {user.username}: no email address.")
                continue
            messages.append(reminder(user, attention, city))
        if not messages:
            if verbosity:
                self.stdout.write("No implementation manager with an email address: none sent.")
            return

        if dry_run:
            for message in messages:
                self.stdout.write(f"Would send to {message.to[0]}: {message.subject}")
                if verbosity:
                    self.stdout.write(message.body)
            return
        # One connection for every message; each is reported as it goes.
        with mailers.default as connection:
            for message in messages:
                connection.send_messages([message])
                if verbosity:
                    self.stdout.write(f"Sent to {message.to[0]}: {message.subject}")
