"""Keyed timeline checkpoints: the exported file, the push, the hourly task, the production key, and the
refusal to sign over a tamper (docs/timeline.md). Helpers: tests/test_timeline_anchor.py."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cases import timeline
from cases.models import TimelineEvent
from cases.models.timeline import TimelineCheckpoint, TimelineHead
from tests.test_timeline_anchor import EVENTS, HEADS, _case, _checkpoint_dir, _head, _raw, _rewrite  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_command_exports_the_checkpoint_for_the_auditors(tmp_path, capsys):
    case = _case(1)
    call_command("timeline_checkpoint", "--out", str(tmp_path))
    checkpoint = TimelineCheckpoint.objects.latest("id")
    assert f"checkpoint #{checkpoint.pk}" in capsys.readouterr().out
    (path,) = tmp_path.glob("timeline-checkpoint-*.json")
    document = json.loads(path.read_text())
    assert (document["id"], document["mac"], document["heads"]) == (checkpoint.pk, checkpoint.mac, checkpoint.heads)
    assert [f"case:{case.pk}", *_head(case)] in document["entries"]
    assert timeline.checkpoint_file_check(path)["ok"] and timeline.checkpoint_file_breaks(path) is None
    call_command("verify_timeline", "--jobs", "1", "--checkpoint-file", str(path))
    # a file altered by hand no longer verifies
    document["entries"][0][1] += 1
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(document))
    assert timeline.checkpoint_file_breaks(altered).kind == "checkpoint_mac"
    for junk in ("[1, 2]", "{}", '{"taken_at": "x"}', "not json"):
        altered.write_text(junk)
        with pytest.raises(CommandError, match="checkpoint-file"):
            call_command("verify_timeline", "--jobs", "1", "--checkpoint-file", str(altered))
    document["entries"][0][0] = "nosuchfield:1"
    altered.write_text(json.dumps(document))
    assert timeline.checkpoint_file_breaks(altered).kind == "checkpoint_mac"
    # the chains are checked against the file too (here: the database's own checkpoint rows are gone)
    _rewrite(case, 1)
    _raw("DELETE FROM cases_timelinecheckpointentry")
    _raw("DELETE FROM cases_timelinecheckpoint")
    assert timeline.verify().ok
    broken = timeline.checkpoint_file_breaks(path)
    assert (broken.subject, broken.kind) == (f"case:{case.pk}", "rewritten")
    with pytest.raises(SystemExit):
        call_command("verify_timeline", "--jobs", "1", "--checkpoint-file", str(path))
    assert f"case:{case.pk} event #" in capsys.readouterr().err


def test_a_failing_push_is_logged_not_fatal(settings, caplog):
    settings.ZHIQIAN_CHECKPOINT_URL = "http://127.0.0.1:9/checkpoints"  # nothing listens there
    taken = timeline.timeline_checkpoint_take()
    assert taken.path.exists() and taken.pushed is False
    assert "push to http://127.0.0.1:9/checkpoints failed" in caplog.text


def test_production_refuses_to_start_without_the_checkpoint_key():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {  # what tests/test_project.py's production check sets, but no ZHIQIAN_TIMELINE_KEY
        **os.environ,
        "ZHIQIAN_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "zhiqian.example.gov.cn",
        "ZHIQIAN_DATA_KEYS": "k1:" + "a2V5LW9mLXRoZS1wcm9kdWN0aW9uLXNldHRpbmdzLXQ=",
        "ZHIQIAN_INDEX_KEY": "aW5kZXgta2V5LW9mLXRoZS1wcm9kdWN0aW9uLXRlc3Q=",
        "ZHIQIAN_CACHE_URL": "redis://127.0.0.1:6379/9",
        "ZHIQIAN_TIMELINE_KEY": "",
    }
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "ZHIQIAN_TIMELINE_KEY must be set in production" in result.stderr


def test_the_hourly_beat_task_takes_a_checkpoint(settings):
    from cases.tasks import timeline_checkpoint

    entry = settings.CELERY_BEAT_SCHEDULE["timeline-checkpoint-hourly"]
    assert entry["task"] == "cases.tasks.timeline_checkpoint" and entry["schedule"].minute == {7}
    out = timeline_checkpoint.apply().get()
    checkpoint = TimelineCheckpoint.objects.get(pk=out["id"])
    assert out["heads"] == checkpoint.heads == TimelineHead.objects.count() and timeline.checkpoint_ok(checkpoint)
    assert out["file"].startswith(settings.ZHIQIAN_CHECKPOINT_DIR) and out["pushed"] is False


def test_a_checkpoint_refuses_to_sign_a_rewritten_chain_or_over_a_tampered_checkpoint(capsys):
    case = _case(3)  # #1..#4
    first = timeline.timeline_checkpoint_take().checkpoint
    with transaction.atomic():
        timeline.record(case, "case.noted")  # #5: a head that moved on honestly
    _rewrite(case, 2)  # and then rewritten from #2, head included
    with pytest.raises(timeline.CheckpointRefused) as refused:
        timeline.timeline_checkpoint_take()
    target = TimelineEvent.objects.get(case=case, seq=4)
    broken = refused.value.broken
    assert (broken.subject, broken.seq, broken.event_id, broken.kind) == (f"case:{case.pk}", 4, target.pk, "rewritten")
    assert TimelineCheckpoint.objects.latest("id") == first  # nothing written
    with pytest.raises(SystemExit) as exc:
        call_command("timeline_checkpoint")
    assert exc.value.code == 1 and f"REFUSED [rewritten]: case:{case.pk} event #4" in capsys.readouterr().err
    forced = timeline.timeline_checkpoint_take(force=True).checkpoint  # the operator's explicit decision
    assert forced.pk > first.pk
    _raw("UPDATE cases_timelinecheckpointentry SET count = count + 1 WHERE checkpoint_id = %s", [forced.pk])
    with pytest.raises(timeline.CheckpointRefused) as refused:
        timeline.timeline_checkpoint_take()
    assert refused.value.broken.kind == "checkpoint_mac"


def test_a_checkpoint_refuses_when_a_chain_it_signed_is_gone():
    case = _case(1)
    timeline.timeline_checkpoint_take()
    _raw(f"DELETE FROM {EVENTS} WHERE case_id = %s", [case.pk])
    _raw(f"DELETE FROM {HEADS} WHERE subject_kind = 'case' AND subject_id = %s", [case.pk])
    with pytest.raises(timeline.CheckpointRefused) as refused:
        timeline.timeline_checkpoint_take()
    assert (refused.value.broken.subject, refused.value.broken.seq) == (f"case:{case.pk}", 2)
