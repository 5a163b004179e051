"""Create a staff account in the "Implementation manager" group.

    python manage.py create_manager USERNAME --email EMAIL

Asks for the password twice (checked by the password validators). Without a terminal, pass
--no-input and put the password in the MANAGER_PASSWORD environment variable.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts import second_factor

GROUP = "Implementation manager"


class Command(BaseCommand):
    help = (
        "Create a staff account for the implementation manager: it can update recommendations "
        "(with their parties), status updates, topics, parties and milestones, and view the "
        "plans; nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True, help="The manager's email address.")
        parser.add_argument("--first-name", default="", help="Shown in the history.")
        parser.add_argument("--last-name", default="", help="Shown in the history.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Read the password from the MANAGER_PASSWORD environment variable.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything but create nothing."
        )

    def handle(
        self,
        *args,
        username,
        email,
        first_name,
        last_name,
        interactive,
        dry_run,
        verbosity,
        **options,
    ):
        User = get_user_model()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists; nothing was changed.")
        group = Group.objects.filter(name=GROUP).first()
        if group is None:
            raise CommandError(f'The group "{GROUP}" is missing: run "manage.py migrate" first.')

        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
        )
        password = self.ask_password() if interactive else os.environ.get("MANAGER_PASSWORD")
        if not password:
            raise CommandError("Set MANAGER_PASSWORD when using --no-input.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)

        if dry_run:
            if verbosity:
                self.stdout.write(f"Dry run: {username} would be created as a manager.")
            return
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Created {username}, a manager. Sign in at /admin/.")
            )
        if verbosity and second_factor.is_required(user):
            self.stdout.write(
                "At the first sign-in, after the password, they set up an authenticator app "
                "(a QR code or a typed key) and receive backup codes."
            )

    def ask_password(self):
        for _ in range(3):
            password = getpass.getpass("Password: ")
            if password and password == getpass.getpass("Password (again): "):
                return password
            self.stderr.write("The passwords were empty or did not match; try again.")
        raise CommandError("No password given; nothing was created.")
