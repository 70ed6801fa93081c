from django.core.management.base import BaseCommand

from cfit.organisations.demo import DEMO_PASSWORDS


class Command(BaseCommand):
    help = "Print the demo sign-ins (only useful after load_demo)."

    def handle(self, *args: object, **options: object) -> None:
        roles = {
            "secretariat@demo.cfit.example": "secretariat (approves signatures, admin)",
            "coordinator@demo.cfit.example": "coordinator (a ministry that runs a buyer group)",
            "procurer@demo.cfit.example": "procurer (a city that buys laptops and phones)",
        }
        self.stdout.write("Demo sign-ins (made-up people, demo data only):")
        for email, password in DEMO_PASSWORDS.items():
            self.stdout.write(f"  {roles[email]:<52} {email:<34} {password}")
        self.stdout.write(
            "Emails (confirmation links, password resets) are written to ./sent-mail/"
        )
