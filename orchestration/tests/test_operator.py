"""The task's command line, exit-code policy and SLA check, run against tiny fake commands."""

from __future__ import annotations

import time
from pathlib import Path
from datetime import datetime, timedelta, timezone

import pytest

try:
    from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException
except ImportError:  # pragma: no cover
    from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException

from conftest import REPO

CALLS: list = []


def record_miss(miss):  # the SLA callback under test, named as "conftest-free" module:function below
    CALLS.append(miss)


def explode(miss):
    raise RuntimeError("the pager is down")


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


@pytest.fixture
def job(dag_module):
    def make(name="classify", command="goodhart classify --date {date}", when=None, sla=timedelta(hours=1)):
        return dag_module.JobSpec(name=name, command=command, when=when, depends_on=(), retries=2,
                                  retry_delay=timedelta(minutes=5), timeout=timedelta(hours=1), sla=sla)
    return make


def operator(dag_module, job, task_id="classify"):
    return dag_module.GoodhartJobOperator(task_id=task_id, job=job, date="2026-11-24")


def fake(dag_module, script, **settings):
    """Settings whose command prefix is a shell snippet (the job's own arguments follow as $1, $2 ...)."""
    return dag_module.Settings(command=["sh", "-c", script, "fake-goodhart"], workdir=str(REPO), **settings)


def test_the_command_line_substitutes_options_and_appends_the_extra_args(dag_module, job):
    settings = dag_module.Settings(command=["spark-submit", "--class", "io.goodhart.cli.GoodhartCli", "app.jar"],
                                   input="s3a://feed/events", extra_args=("--config", "/etc/goodhart/lake.properties"))
    ingest = job("ingest", "goodhart ingest --input {input} --date {date}", when="input")
    assert dag_module.build_argv(ingest, settings, "2026-11-24") == [
        "spark-submit", "--class", "io.goodhart.cli.GoodhartCli", "app.jar",
        "ingest", "--input", "s3a://feed/events", "--date", "2026-11-24",
        "--config", "/etc/goodhart/lake.properties"]
    dated = dag_module.Settings(command=["goodhart"], input="/feeds/{date}/events")
    assert dag_module.build_argv(ingest, dated, "2026-11-24") == [
        "goodhart", "ingest", "--input", "/feeds/2026-11-24/events", "--date", "2026-11-24"]


def test_a_job_whose_option_is_not_configured_is_skipped(dag_module, job):
    ingest = job("ingest", "goodhart ingest --input {input} --date {date}", when="input")
    assert dag_module.build_argv(ingest, dag_module.Settings(command=["goodhart"]), "2026-11-24") is None
    with pytest.raises(AirflowSkipException, match="goodhart_input or env GOODHART_INPUT"):
        operator(dag_module, ingest, "ingest").run_job(fake(dag_module, "exit 0"), datetime.now(timezone.utc))


def test_success_passes_and_the_job_gets_its_arguments(dag_module, job, tmp_path):
    out = tmp_path / "args"
    operator(dag_module, job()).run_job(fake(dag_module, f'echo "$@" > {out}'), datetime.now(timezone.utc))
    assert out.read_text().strip() == "classify --date 2026-11-24"


@pytest.mark.parametrize("code", [2, 3, 4])
def test_usage_bad_input_and_audit_failures_fail_without_retry(dag_module, job, code):
    with pytest.raises(AirflowFailException, match=f"exited {code} .*not retrying"):
        operator(dag_module, job()).run_job(fake(dag_module, f"exit {code}"), datetime.now(timezone.utc))


@pytest.mark.parametrize("code", [5, 1, 137])
def test_infrastructure_and_other_failures_are_retryable(dag_module, job, code):
    with pytest.raises(AirflowException, match=f"exited {code} .*retryable") as failure:
        operator(dag_module, job()).run_job(fake(dag_module, f"exit {code}"), datetime.now(timezone.utc))
    assert not isinstance(failure.value, AirflowFailException)  # Airflow retries any other AirflowException


def test_a_job_killed_by_a_signal_is_retryable(dag_module):
    with pytest.raises(AirflowException, match="killed by signal 9") as failure:
        dag_module.raise_for_exit_code("classify", -9)
    assert not isinstance(failure.value, AirflowFailException)


def test_an_sla_miss_is_reported_while_the_job_still_runs_and_the_job_goes_on(dag_module, job, caplog):
    settings = fake(dag_module, "sleep 3", sla_callback="test_operator:record_miss")
    started = time.monotonic()
    operator(dag_module, job(sla=timedelta(seconds=1))).run_job(settings, datetime.now(timezone.utc))
    assert time.monotonic() - started >= 3  # not stopped: the sla is a soft limit
    assert len(CALLS) == 1
    miss = CALLS[0]
    assert (miss.task_id, miss.logical_date, miss.sla, miss.still_running) == (
        "classify", "2026-11-24", timedelta(seconds=1), True)
    assert timedelta(0) <= miss.late_by < timedelta(seconds=2)
    assert any(r.levelname == "ERROR" and "SLA missed: goodhart_nightly.classify" in r.getMessage()
               for r in caplog.records)


def test_an_sla_miss_is_reported_when_the_job_finishes_late(dag_module, job):
    run_start = datetime.now(timezone.utc) - timedelta(hours=2)  # the run started long ago: upstream was slow
    settings = fake(dag_module, "exit 0", sla_callback="test_operator:record_miss")
    operator(dag_module, job(sla=timedelta(hours=1))).run_job(settings, run_start)
    assert len(CALLS) == 1
    assert CALLS[0].still_running is False
    assert timedelta(minutes=59) < CALLS[0].late_by < timedelta(minutes=61)
    assert CALLS[0].run_start == run_start


def test_no_alert_when_the_job_is_done_in_time(dag_module, job, caplog):
    settings = fake(dag_module, "sleep 1", sla_callback="test_operator:record_miss")
    operator(dag_module, job(sla=timedelta(minutes=5))).run_job(settings, datetime.now(timezone.utc))
    assert CALLS == []
    assert not [r for r in caplog.records if "SLA missed" in r.getMessage()]


def test_a_failing_sla_callback_does_not_fail_the_job(dag_module, job, caplog):
    run_start = datetime.now(timezone.utc) - timedelta(hours=2)
    operator(dag_module, job()).run_job(fake(dag_module, "exit 0", sla_callback="test_operator:explode"), run_start)
    assert any("SLA callback test_operator:explode failed" in r.getMessage() for r in caplog.records)


def test_a_failed_late_job_still_reports_its_sla_and_then_fails(dag_module, job):
    run_start = datetime.now(timezone.utc) - timedelta(hours=2)
    with pytest.raises(AirflowFailException):
        operator(dag_module, job()).run_job(
            fake(dag_module, "exit 4", sla_callback="test_operator:record_miss"), run_start)
    assert len(CALLS) == 1


def test_an_interrupted_task_stops_the_whole_process_group(dag_module, job, tmp_path):
    """What happens on execution_timeout: Airflow raises in the task; the job and its children must die."""
    import signal
    import threading

    pid_file = tmp_path / "child"
    op = operator(dag_module, job())

    def interrupt():
        while not pid_file.exists() or not pid_file.read_text().strip():
            time.sleep(0.05)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)

    def raise_timeout(*_):
        raise TimeoutError("execution_timeout")

    previous = signal.signal(signal.SIGUSR1, raise_timeout)
    try:
        threading.Thread(target=interrupt, daemon=True).start()
        with pytest.raises(TimeoutError):
            op.run_job(fake(dag_module, f"sleep 60 & echo $! > {pid_file}; wait"), datetime.now(timezone.utc))
    finally:
        signal.signal(signal.SIGUSR1, previous)
    status = Path(f"/proc/{int(pid_file.read_text())}/status")
    deadline = time.monotonic() + 5
    while status.exists() and "State:\tZ" not in status.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not status.exists() or "State:\tZ" in status.read_text(), "the job's child outlived the task"
