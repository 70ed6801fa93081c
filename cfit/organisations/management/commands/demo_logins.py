from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from cfit.organisations.demo import DEMO_PASSWORDS, DEMO_SECRETARIAT_TOTP_SECRET
from cfit.security.services import current_code


class Command(BaseCommand):
    help = "Print the demo sign-ins (only useful after load_demo)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--code",
            action="store_true",
            help="Print only the demo secretariat's second-factor code of this moment.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["code"]:
            self.stdout.write(current_code(DEMO_SECRETARIAT_TOTP_SECRET))
            return
        roles = {
            "secretariat@demo.cfit.example": "secretariat (approves signatures, admin)",
            "coordinator@demo.cfit.example": "coordinator (a ministry that runs a buyer group)",
            "procurer@demo.cfit.example": "procurer (a city that buys laptops and phones)",
        }
        self.stdout.write("Demo sign-ins (made-up people, demo data only):")
        for email, password in DEMO_PASSWORDS.items():
            self.stdout.write(f"  {roles[email]:<52} {email:<34} {password}")
        self.stdout.write(
            "The secretariat also gives a code from an authenticator app: add the secret "
            f"{DEMO_SECRETARIAT_TOTP_SECRET} to one, or run "
            "`.venv/bin/python manage.py demo_logins --code` for the code of the moment."
        )
        self.stdout.write(
            "Emails (confirmation links, password resets) are written to ./sent-mail/"
        )
