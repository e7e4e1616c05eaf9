"""The DAG as Airflow loads it matches jobs/nightly.yaml, read here independently."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from airflow.dag_processing.dagbag import DagBag

from conftest import DAGS, SPEC

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([smhd])", text).groups()
    return int(number) * UNITS[unit]


def load_dag(monkeypatch=None, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    assert list(bag.dags) == ["goodhart_nightly"]
    return bag.dags["goodhart_nightly"]


def test_the_dag_folder_imports_without_errors():
    load_dag()


def test_one_task_per_job_with_the_specs_dependencies(spec):
    dag = load_dag()
    assert sorted(dag.task_ids) == sorted(job["name"] for job in spec["jobs"])
    for job in spec["jobs"]:
        task = dag.get_task(job["name"])
        assert task.upstream_task_ids == set(job["depends_on"]), job["name"]
    # and, spelled out, the graph as it is today
    assert dag.get_task("user-usage").upstream_task_ids == {"outcomes"}
    assert dag.get_task("ingest").upstream_task_ids == {"load-directory", "load-identities"}
    assert dag.get_task("outcomes").upstream_task_ids == {"ingest"}
    assert dag.get_task("outcomes").downstream_task_ids == {"user-usage", "engagement", "leaderboard"}
    assert dag.get_task("train").upstream_task_ids == {"features"}
    assert dag.get_task("classify").upstream_task_ids == {"train"}
    assert dag.get_task("classify").downstream_task_ids == {"engagement", "leaderboard"}


def test_retries_delays_and_timeouts_come_from_the_spec(spec):
    dag = load_dag()
    defaults = spec["defaults"]
    for job in spec["jobs"]:
        task = dag.get_task(job["name"])
        assert task.retries == job.get("retries", defaults["retries"])
        assert task.retry_delay == timedelta(seconds=seconds(job.get("retry_delay", defaults["retry_delay"])))
        assert task.execution_timeout == timedelta(seconds=seconds(job.get("timeout", defaults["timeout"])))
        assert task.job.sla == timedelta(seconds=seconds(job.get("sla", defaults["sla"])))
    # exact values, so that a change to the spec is a change someone sees here
    ingest, classify = dag.get_task("ingest"), dag.get_task("classify")
    assert (ingest.retries, ingest.retry_delay, ingest.execution_timeout, ingest.job.sla) == (
        2, timedelta(minutes=5), timedelta(hours=2), timedelta(hours=2))
    assert (classify.retries, classify.retry_delay, classify.execution_timeout, classify.job.sla) == (
        2, timedelta(minutes=5), timedelta(hours=1), timedelta(hours=4))


def test_daily_with_catchup_one_run_at_a_time_from_the_configured_start(spec, monkeypatch):
    dag = load_dag()
    assert spec["schedule"] == "@daily"
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.timetable.expression == "0 0 * * *"
    assert dag.catchup is True
    assert dag.max_active_runs == 1
    assert dag.start_date == datetime(2026, 10, 26, tzinfo=timezone.utc)
    assert load_dag(monkeypatch, GOODHART_START_DATE="2026-11-20").start_date == datetime(2026, 11, 20, tzinfo=timezone.utc)


def test_skipped_upstreams_do_not_block_but_failed_ones_do():
    dag = load_dag()
    for task in dag.tasks:
        expected = "none_failed" if task.upstream_task_ids else "all_success"
        assert task.trigger_rule == expected, task.task_id


def test_the_logical_date_is_the_commands_date():
    dag = load_dag()
    assert {task.date for task in dag.tasks} == {"{{ ds }}"}


def test_a_job_added_to_the_spec_appears_without_editing_python(tmp_path, monkeypatch):
    text = SPEC.read_text() + """
  - name: export
    command: "goodhart export --date {date}"
    reads: [curated.team_weekly_engagement]
    writes: []
    depends_on: [engagement, leaderboard]
    retries: 0
    timeout: 15m
"""
    spec_file = tmp_path / "jobs" / "nightly.yaml"
    spec_file.parent.mkdir()
    spec_file.write_text(text)
    dag = load_dag(monkeypatch, GOODHART_JOBS_SPEC=str(spec_file))
    export = dag.get_task("export")
    assert export.upstream_task_ids == {"engagement", "leaderboard"}
    assert (export.retries, export.execution_timeout, export.job.sla) == (0, timedelta(minutes=15), timedelta(hours=4))


def test_one_ingest_task_per_configured_source_and_the_curated_jobs_wait_for_all(monkeypatch):
    dag = load_dag(monkeypatch, GOODHART_INGEST_SOURCES="claude-code:otlp, cursor:cursor-events")
    assert "ingest" not in dag.task_ids
    cursor = dag.get_task("ingest-cursor")
    assert cursor.job.command == "goodhart ingest --input {input}/cursor --format cursor-events --date {date}"
    assert cursor.job.when == "input"
    assert dag.get_task("ingest-cursor").upstream_task_ids == {"load-directory", "load-identities"}
    assert dag.get_task("outcomes").upstream_task_ids == {"ingest-claude-code", "ingest-cursor"}
    assert dag.get_task("user-usage").upstream_task_ids == {"outcomes"}
    assert dag.get_task("features").upstream_task_ids == {"ingest-claude-code", "ingest-cursor"}


def test_a_bad_sources_setting_is_an_import_error_naming_it(monkeypatch):
    monkeypatch.setenv("GOODHART_INGEST_SOURCES", "cursor")
    message = next(iter(DagBag(dag_folder=str(DAGS)).import_errors.values()))
    assert "GOODHART_INGEST_SOURCES: each entry must be name:format, found 'cursor'" in message


def test_a_bad_duration_is_an_import_error_naming_the_spec_and_the_job(tmp_path, monkeypatch):
    spec_file = tmp_path / "nightly.yaml"
    spec_file.write_text(SPEC.read_text().replace("timeout: 2h ", "timeout: 2 hours "))
    monkeypatch.setenv("GOODHART_JOBS_SPEC", str(spec_file))
    errors = DagBag(dag_folder=str(DAGS)).import_errors
    assert len(errors) == 1
    message = next(iter(errors.values()))
    assert f"{spec_file}: job ingest: timeout '2 hours' is not a duration like 90s, 10m, 1h or 2d" in message


def test_a_missing_spec_says_which_setting_to_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("GOODHART_JOBS_SPEC", str(tmp_path / "nope.yaml"))
    message = next(iter(DagBag(dag_folder=str(DAGS)).import_errors.values()))
    assert "nope.yaml not found; set GOODHART_JOBS_SPEC" in message
