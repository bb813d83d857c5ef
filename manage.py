#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Commands typed in a clone read `.env` (written by `make run`: DEBUG=1 and the private cluster's DATABASE_URL), so
`.venv/bin/python manage.py ...` works as typed; variables set in the environment win. The WSGI application
(gunicorn) never reads it.
"""

import os
import sys
from pathlib import Path

from dotenv import load_dotenv


def main():
    load_dotenv(os.environ.get("LECTOR_ENV_FILE", Path(__file__).resolve().parent / ".env"), override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
