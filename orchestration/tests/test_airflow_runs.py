"""The DAG run by real Airflow (`airflow dags test`, SQLite metadata DB in a temp AIRFLOW_HOME).

First with a fake goodhart, to watch the exit-code policy, skips, trigger rules, retries and the SLA
alert in Airflow itself; then with the real launcher on the bundled sample, checking the lake after."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, SPEC

FAKE_GOODHART = """#!/bin/sh
# a stand-in for goodhart: logs each call; exits with the next code listed in $FAKE_DIR/<job>.codes, else 0
echo "$1" >> "$FAKE_DIR/calls"
echo "fake goodhart $*"
codes="$FAKE_DIR/$1.codes"
if [ -s "$codes" ]; then
  code=$(head -n 1 "$codes"); tail -n +2 "$codes" > "$codes.rest"; mv "$codes.rest" "$codes"
  exit "$code"
fi
exit 0
"""

SLA_PROBE = """
import os
def record(miss):
    with open(os.environ["SLA_PROBE_FILE"], "a") as out:
        out.write(f"{miss.task_id} {miss.logical_date} {miss.sla} {miss.still_running}\\n")
"""


def json_rows(output: str) -> list[dict]:
    """The JSON list an `airflow ... -o json` command prints (warnings may come before it)."""
    line = next(line for line in reversed(output.splitlines()) if line.startswith("["))
    return json.loads(line)


def states(home, run_id: str) -> dict[str, str]:
    out = home.airflow("tasks", "states-for-dag-run", "goodhart_nightly", run_id, "-o", "json").stdout
    return {row["task_id"]: row["state"] for row in json_rows(out)}


def only_run_id(home) -> str:
    runs = json_rows(home.airflow("dags", "list-runs", "goodhart_nightly", "-o", "json").stdout)
    assert len(runs) == 1, runs
    return runs[0]["run_id"]


def test_failures_skips_retries_and_sla_alerts_in_a_real_airflow_run(airflow_home, tmp_path):
    fake_dir = tmp_path / "fake"
    fake_dir.mkdir()
    fake = fake_dir / "goodhart"
    fake.write_text(FAKE_GOODHART)
    fake.chmod(0o755)
    (fake_dir / "features.codes").write_text("5\n0\n")  # infrastructure, then fine: retried
    (fake_dir / "classify.codes").write_text("4\n0\n")  # audit failed: no retry although retries: 2
    spec = tmp_path / "jobs" / "nightly.yaml"  # the real spec with a 1 s retry delay, to keep the test short
    spec.parent.mkdir()
    spec.write_text(re.sub(r"retry_delay: \w+", "retry_delay: 1s", SPEC.read_text()))
    (tmp_path / "sla_probe.py").write_text(SLA_PROBE)
    probe = tmp_path / "sla-misses"

    # the command prefix comes from the Variable, which wins over the environment's (broken) one
    airflow_home.airflow("variables", "set", "goodhart_command", str(fake))
    env = {"GOODHART_JOBS_SPEC": str(spec), "GOODHART_COMMAND": "/bin/false", "FAKE_DIR": str(fake_dir),
           "GOODHART_SLA_CALLBACK": "sla_probe:record", "SLA_PROBE_FILE": str(probe), "PYTHONPATH": str(tmp_path)}
    # no input, directory or identities configured: ingest, load-directory and load-identities are skipped
    run = airflow_home.airflow("dags", "test", "goodhart_nightly", "2026-11-24", env=env, check=False)
    assert run.returncode != 0, "a run with a failed task must fail"

    assert states(airflow_home, only_run_id(airflow_home)) == {
        "ingest": "skipped",
        "load-directory": "skipped",
        "load-identities": "skipped",
        "outcomes": "success",  # skipped upstreams do not block
        "user-usage": "success",
        "features": "success",  # after one retry
        "train": "success",
        "classify": "failed",
        "engagement": "upstream_failed",  # a failed upstream does
        "leaderboard": "upstream_failed",
        "bi-publish": "upstream_failed",
        "bi-views": "upstream_failed",
    }
    calls = (fake_dir / "calls").read_text().split()
    assert sorted(calls) == ["classify", "features", "features", "outcomes", "train", "user-usage"]
    # `airflow dags test` records the run as started at its logical date, a day before now: every job
    # that ran is past its sla, and each one alerted through the configured callback
    misses = sorted(line.split()[0] for line in probe.read_text().splitlines())
    assert misses == ["classify", "features", "features", "outcomes", "train", "user-usage"]
    assert "SLA missed: goodhart_nightly.classify for 2026-11-24" in run.stdout + run.stderr


def test_catchup_starts_at_the_start_date_and_a_backfill_runs_each_date(airflow_home):
    """What the scheduler would create (it is not started here): catchup from the configured start date, and
    `airflow backfill create` one run per day, each with its own logical date and so its own --date."""
    env = {"GOODHART_START_DATE": "2026-11-02"}
    airflow_home.airflow("dags", "reserialize", env=env)
    assert airflow_home.airflow("dags", "next-execution", "goodhart_nightly", env=env).stdout.strip().splitlines()[-1] \
        == "2026-11-02T00:00:00+00:00"
    out = airflow_home.airflow("backfill", "create", "--dag-id", "goodhart_nightly", "--from-date", "2026-11-20",
                               "--to-date", "2026-11-22", "--dry-run", env=env).stdout
    assert re.findall(r"\| (2026-\d\d-\d\d) 00:00:00\+00:00", out) == ["2026-11-20", "2026-11-21", "2026-11-22"]


def test_the_nightly_on_the_sample_writes_the_curated_tables(airflow_home, tmp_path, jar, capsys):
    """The night of 2026-11-22, the sample's last full day (a Sunday: the final leaderboard of 2026-W47),
    on a lake that already holds the earlier nights, as a production lake would."""
    date = "2026-11-22"
    sample = REPO / "datasets" / "sample"
    lake = tmp_path / "lake"
    config = tmp_path / "lake.properties"
    config.write_text(f"goodhart.lake.dir={lake}\n")
    history = tmp_path / "history" / "events"  # the deliveries before that night, loaded in one go
    history.mkdir(parents=True)
    for delivery in sorted((sample / "events").iterdir()):
        if delivery.name < f"date={date}":
            (history / delivery.name).symlink_to(delivery)
    started = time.monotonic()
    subprocess.run([str(REPO / "goodhart"), "ingest", "--input", str(history), "--config", str(config)],
                   cwd=REPO, check=True, capture_output=True, timeout=600)
    history_seconds = time.monotonic() - started

    env = {"GOODHART_INPUT": str(sample / "events"), "GOODHART_DIRECTORY": str(sample / "directory.csv"),
           "GOODHART_EXTRA_ARGS": f"--config {config}"}  # the command: the default, <repo>/goodhart
    started = time.monotonic()
    airflow_home.airflow("dags", "test", "goodhart_nightly", date, env=env)
    with capsys.disabled():
        print(f"\n[timing] history ingest {history_seconds:.0f} s; "
              f"airflow dags test goodhart_nightly {date}: {time.monotonic() - started:.0f} s")

    night = states(airflow_home, only_run_id(airflow_home))
    assert night.pop("load-identities") == "skipped", "no identities file is configured"
    assert set(night.values()) == {"success"}
    runs = goodhart_sql(config, "SELECT job, status, CAST(metrics['accepted'] AS string) FROM lake.curated.job_runs"
                                f" WHERE job = 'load-directory' OR logical_date = DATE '{date}'")
    assert sorted(run[0] for run in runs) == sorted(
        ["ingest", "load-directory", "outcomes", "user-usage", "features", "train", "classify", "engagement", "leaderboard",
         "bi-publish"])
    assert {run[1] for run in runs} == {"succeeded"}
    accepted = next(int(run[2]) for run in runs if run[0] == "ingest")
    assert accepted > 1000, "the night's delivery was ingested"
    counts = goodhart_sql(config, "SELECT"
                          " (SELECT count(*) FROM lake.curated.team_weekly_engagement WHERE iso_week = '2026-W47'),"
                          f" (SELECT count(*) FROM lake.curated.leaderboard_snapshots WHERE snapshot_date = DATE '{date}'"
                          "   AND snapshot_kind = 'final'),"
                          " (SELECT count(*) FROM lake.curated.usage_classification WHERE label IN ('genuine', 'padding'))")
    assert all(int(n) > 0 for n in counts[0]), counts


def goodhart_sql(config: Path, statement: str) -> list[list[str]]:
    """The rows `goodhart sql --format csv` prints, header dropped."""
    out = subprocess.run([str(REPO / "goodhart"), "sql", "--config", str(config), "--format", "csv", "-e", statement],
                         cwd=REPO, capture_output=True, text=True, check=True, timeout=600).stdout
    return list(csv.reader(io.StringIO(out)))[1:]
