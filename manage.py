#!/usr/bin/env python
"""Django's command-line utility for the WFM project."""

import os
import sys
from collections.abc import MutableMapping


def development_default(environ: MutableMapping[str, str]) -> None:
    """A shell with neither DJANGO_DEBUG nor DJANGO_SECRET_KEY is a developer's checkout (a
    fresh shell after `make install`): run in development mode, as the Makefile does. A shell
    that sets a secret key (production) keeps DEBUG off unless it asks, and gunicorn
    (wfm.wsgi) never takes this default, so a server without a key still refuses to start."""
    if not environ.get("DJANGO_DEBUG") and not environ.get("DJANGO_SECRET_KEY"):
        environ["DJANGO_DEBUG"] = "1"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")
    development_default(os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
