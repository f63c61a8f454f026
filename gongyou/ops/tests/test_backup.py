"""`gongyou backup` / `gongyou restore`: a round trip on both databases, and damaged or
mismatched backups refused before anything is touched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from gongyou.accounts.policies import actor_for
from gongyou.ops.backup import backup_create
from gongyou.testing import make_worker, transactional_apps
from gongyou.workers.models import Worker

pytestmark = pytest.mark.django_db(transaction=True, available_apps=transactional_apps())


@pytest.fixture
def dirs(settings: Any, tmp_path: Path) -> dict[str, Path]:
    settings.CASE_ATTACHMENTS_DIR = tmp_path / "attachments"
    settings.IMPORTS_DIR = tmp_path / "imports"
    evidence = settings.CASE_ATTACHMENTS_DIR / "2026" / "11" / "evidence.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 wage slips")
    return {"evidence": evidence, "tmp": tmp_path}


def test_round_trip(dirs: dict[str, Path], admin: Any) -> None:
    actor = actor_for(admin)
    workers = [make_worker(actor=actor, name=f"工人{c}") for c in "甲乙丙"]
    archive = dirs["tmp"] / "backups" / "b.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    assert archive.exists()

    # Life goes on after the backup: a change, a new worker, a lost file.
    Worker.objects.filter(pk=workers[0].pk).update(name="改过")
    make_worker(actor=actor, name="后来")
    dirs["evidence"].unlink()

    with pytest.raises(CommandError, match="already holds workers"):
        call_command("restore", str(archive), verbosity=0)
    assert Worker.objects.count() == 4  # refused: nothing touched

    call_command("restore", str(archive), "--force", verbosity=0)
    assert sorted(Worker.objects.values_list("name", flat=True)) == ["工人丙", "工人乙", "工人甲"]
    assert dirs["evidence"].read_bytes() == b"%PDF-1.4 wage slips"
    # The restored database works as before: a new registration gets a fresh id.
    assert make_worker(actor=actor_for(admin), name="又来").pk > max(w.pk for w in workers)


def test_damaged_backup_is_refused_before_anything_changes(dirs: dict[str, Path], admin: Any):
    make_worker(actor=actor_for(admin), name="在库")
    folder = dirs["tmp"] / "backup-dir"
    manifest = backup_create(output=folder)
    assert manifest["counts"]["workers_worker"] == 1
    assert manifest["files"]  # the evidence file is carried, with its checksum
    damaged = folder / next(iter(manifest["files"]))
    damaged.write_bytes(b"tampered")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), "--force", verbosity=0)
    assert Worker.objects.get().name == "在库"


def test_a_backup_of_the_other_database_is_refused(dirs: dict[str, Path]) -> None:
    folder = dirs["tmp"] / "other"
    manifest = backup_create(output=folder)
    manifest["vendor"] = "postgresql" if manifest["vendor"] == "sqlite" else "sqlite"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="this backup is of a"):
        call_command("restore", str(folder), verbosity=0)
