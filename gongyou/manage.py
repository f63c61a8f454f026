"""The `gongyou` command: Django's manage.py for this project (`gongyou setup`, `gongyou demo`, …)."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyou.config.settings.dev")
    if os.environ["DJANGO_SETTINGS_MODULE"].endswith(".dev"):
        from gongyou.config.localenv import load_local_env

        var_dir = Path(
            os.environ.get("GONGYOU_VAR_DIR", Path(__file__).resolve().parent.parent / "var")
        )
        load_local_env(var_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
