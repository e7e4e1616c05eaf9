"""goodhart's nightly job graph as an Airflow 3 DAG, generated from jobs/nightly.yaml at parse time.

One task per job of the spec, wired by its `depends_on`; schedule, retries, retry delay, timeout and SLA
come from the spec too, so a job added to jobs/nightly.yaml appears here without editing this file.
Each task runs the job's `command:` with `goodhart` replaced by the configured command prefix.

Settings (an Airflow Variable wins over the environment variable; both are read when a task runs):

  Variable / env                            default
  goodhart_command / GOODHART_COMMAND       <repo>/goodhart (the local launcher); on a cluster e.g.
                                            spark-submit --master yarn --deploy-mode cluster
                                              --class io.goodhart.cli.GoodhartCli s3://.../goodhart-cluster.jar
  goodhart_input / GOODHART_INPUT           none: ingest is skipped. The feed's events folder; the job
                                            reads its date=<ds> delivery folder. {date} is replaced by ds.
  goodhart_directory / GOODHART_DIRECTORY   none: load-directory is skipped. The directory.csv to load.
  goodhart_identities / GOODHART_IDENTITIES none: load-identities is skipped. The identities CSV to load.
  goodhart_extra_args / GOODHART_EXTRA_ARGS none. Appended to every command, e.g.
                                            --config /etc/goodhart/lake.properties
  goodhart_workdir / GOODHART_WORKDIR       <repo>: the commands' working folder (.lake/, datasets/pricing.csv)
  goodhart_sla_callback / GOODHART_SLA_CALLBACK  none: "package.module:function", called with an SlaMiss
                                            when a job is not done within its sla (always logged as an error)

Read when the DAG file is parsed (environment only):
  GOODHART_JOBS_SPEC   the spec; default <repo>/jobs/nightly.yaml, <repo> being two folders above this
                       file (symlinks followed)
  GOODHART_START_DATE  first logical date, YYYY-MM-DD; default 2026-10-26 (the bundled sample's first day).
                       catchup is on, so every date from it on is run, oldest first, one run at a time.
  GOODHART_INGEST_SOURCES  the input sources, as goodhart.ingest.sources: name:format pairs, comma-separated
                       (claude-code:otlp,cursor:cursor-events). A job with `per_source:` becomes one task per
                       source, <job>-<source>, reading {input}/<source>; unset: the job as declared. Give the
                       same value to goodhart (goodhart_extra_args: --conf goodhart.ingest.sources=...), so that
                       `goodhart nightly` and the DAG run the same jobs.

Exit codes: 2 (usage), 3 (bad input) and 4 (audit failed) fail the task at once, without retries, since
retrying cannot help; 5 (infrastructure) and any other failure are retried as the spec says. A failed
task stops its downstream tasks (upstream_failed). A job whose `when:` option is not configured is
skipped, and its downstream still runs (trigger rule none_failed: skipped upstreams are fine, failed ones
are not).

SLA: Airflow 3 has no task SLAs any more (its Deadline Alerts are per DAG run). So each task watches its
own: when the job is still running, or finishes, later than `sla` after the DAG run started, it logs an
error "SLA missed: ..." and calls the configured callback; the job itself goes on (the hard limit is
`timeout`).
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import os
import re
import shlex
import signal
import subprocess
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pendulum
import yaml
from airflow.sdk import DAG, BaseOperator, CronDataIntervalTimetable, Variable

try:  # Airflow 3.1+ exports them from the task SDK; 3.0 from airflow.exceptions
    from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException
except ImportError:  # pragma: no cover
    from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException

log = logging.getLogger(__name__)

DEFAULT_REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = Path(os.environ.get("GOODHART_JOBS_SPEC") or DEFAULT_REPO / "jobs" / "nightly.yaml")
REPO = SPEC_PATH.resolve().parent.parent  # the clone the spec belongs to: its launcher and working folder
START_DATE = os.environ.get("GOODHART_START_DATE", "2026-10-26")

# goodhart's exit codes (docs/operations.md, "Exit codes"); these three need a person, not another try.
EXIT_MEANINGS = {1: "internal error", 2: "wrong usage", 3: "bad input", 4: "audit failed", 5: "infrastructure"}
NOT_RETRYABLE = {2, 3, 4}
PLACEHOLDERS = ("date", "input", "directory", "identities")  # the run options a command may use, as {name}
WHEN_OPTIONS = ("input", "directory", "identities")  # the options a job may need (`when:`)


# ---------------------------------------------------------------- the spec

_DURATION = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: Any) -> timedelta:
    """A duration of the spec: digits and one unit, s, m, h or d (90s, 10m, 1h, 2d)."""
    match = _DURATION.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"'{text}' is not a duration like 90s, 10m, 1h or 2d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


@dataclasses.dataclass(frozen=True)
class JobSpec:
    name: str
    command: str
    when: str | None
    depends_on: tuple[str, ...]
    retries: int
    retry_delay: timedelta
    timeout: timedelta
    sla: timedelta


_SOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def parse_sources(text: str | None) -> list[tuple[str, str]]:
    """goodhart.ingest.sources: name:format pairs, comma-separated, checked as Setting.pairs in Java does."""
    sources: list[tuple[str, str]] = []
    for entry in (text or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        name, _, value = (part.strip() for part in entry.partition(":"))
        if not _SOURCE_NAME.fullmatch(name) or not value:
            raise ValueError(f"GOODHART_INGEST_SOURCES: each entry must be name:format, found '{entry}'")
        if name in (s for s, _ in sources):
            raise ValueError(f"GOODHART_INGEST_SOURCES: names {name} twice")
        sources.append((name, value))
    return sources


def for_sources(raw_jobs: list[dict], sources: list[tuple[str, str]]) -> list[dict]:
    """The spec's jobs for these sources, expanded as JobGraph.forSources in Java does."""
    if not sources:
        return raw_jobs
    expanded: dict[str, list[str]] = {}
    out: list[dict] = []
    for raw in raw_jobs:
        if not raw.get("per_source"):
            out.append(raw)
            continue
        names = []
        for source, fmt in sources:
            job = dict(raw)
            job["name"] = f"{raw['name']}-{source}"
            job["command"] = raw["per_source"].replace("{source}", source).replace("{format}", fmt)
            job.pop("per_source")
            names.append(job["name"])
            out.append(job)
        expanded[raw["name"]] = names
    for job in out:
        job["depends_on"] = [d for dep in job.get("depends_on") or () for d in expanded.get(dep, [dep])]
    return out


def load_spec(path: Path, sources: list[tuple[str, str]] | None = None) -> tuple[str, list[JobSpec]]:
    """The schedule and the jobs of the spec, each job with its defaults applied. Checked as JobGraph.java does."""
    if not path.is_file():
        raise FileNotFoundError(f"goodhart job spec {path} not found; set GOODHART_JOBS_SPEC to jobs/nightly.yaml")
    spec = yaml.safe_load(path.read_text())
    defaults = spec.get("defaults") or {}
    jobs = []
    for raw in for_sources(spec["jobs"], sources or []):
        name = raw["name"]

        def setting(key: str, parse: Callable[[Any], Any]) -> Any:
            value = raw.get(key, defaults.get(key))
            if value is None:
                raise ValueError(f"{path}: job {name}: {key} is neither set nor in defaults")
            try:
                return parse(value)
            except ValueError as e:
                raise ValueError(f"{path}: job {name}: {key} {e}") from None

        job = JobSpec(
            name=name,
            command=raw["command"],
            when=raw.get("when"),
            depends_on=tuple(raw.get("depends_on") or ()),
            retries=setting("retries", int),
            retry_delay=setting("retry_delay", parse_duration),
            timeout=setting("timeout", parse_duration),
            sla=setting("sla", parse_duration),
        )
        if job.retries < 0 or not job.timeout or not job.sla:
            raise ValueError(f"{path}: job {name}: retries must be 0 or more, timeout and sla longer than 0")
        if job.when is not None and job.when not in WHEN_OPTIONS:
            raise ValueError(f"{path}: job {name}: when: {job.when} is none of {WHEN_OPTIONS}")
        if shlex.split(job.command)[0] != "goodhart":
            raise ValueError(f"{path}: job {name}: command must start with goodhart: {job.command}")
        jobs.append(job)
    return spec["schedule"], jobs


# ---------------------------------------------------------------- settings, resolved when a task runs


@dataclasses.dataclass(frozen=True)
class Settings:
    command: list[str]
    input: str | None = None
    directory: str | None = None
    identities: str | None = None
    extra_args: tuple[str, ...] = ()
    workdir: str | None = None
    sla_callback: str | None = None

    @staticmethod
    def resolve() -> Settings:
        def get(name: str) -> str | None:
            value = Variable.get(f"goodhart_{name}", default=None)
            if value in (None, ""):
                value = os.environ.get(f"GOODHART_{name.upper()}")
            return value or None

        return Settings(
            command=shlex.split(get("command") or shlex.quote(str(REPO / "goodhart"))),
            input=get("input"),
            directory=get("directory"),
            identities=get("identities"),
            extra_args=tuple(shlex.split(get("extra_args") or "")),
            workdir=get("workdir") or str(REPO),
            sla_callback=get("sla_callback"),
        )


def build_argv(job: JobSpec, settings: Settings, date: str) -> list[str] | None:
    """The job's command line for one date, or None when the option it needs (`when:`) is not configured."""
    options = {"date": date, "input": settings.input, "directory": settings.directory,
               "identities": settings.identities}
    if job.when and not options[job.when]:
        return None
    argv = list(settings.command)
    for token in shlex.split(job.command)[1:]:  # [0] is "goodhart"
        for key in PLACEHOLDERS:
            if "{" + key + "}" in token:
                token = token.replace("{" + key + "}", (options[key] or "").replace("{date}", date))
        argv.append(token)
    return argv + list(settings.extra_args)


def raise_for_exit_code(job: str, code: int) -> None:
    """Exit 0 passes; 2, 3 and 4 fail for good (no retry); anything else fails so that Airflow retries."""
    if code == 0:
        return
    meaning = EXIT_MEANINGS.get(code, f"killed by signal {-code}" if code < 0 else "unexpected exit code")
    if code in NOT_RETRYABLE:
        raise AirflowFailException(f"goodhart {job} exited {code} ({meaning}); a retry cannot help, not retrying")
    raise AirflowException(f"goodhart {job} exited {code} ({meaning}); retryable")


# ---------------------------------------------------------------- SLA


@dataclasses.dataclass(frozen=True)
class SlaMiss:
    dag_id: str
    task_id: str
    logical_date: str
    sla: timedelta
    run_start: datetime
    late_by: timedelta
    still_running: bool

    def message(self) -> str:
        state = "still running" if self.still_running else "finished"
        return (f"SLA missed: {self.dag_id}.{self.task_id} for {self.logical_date} {state} "
                f"{self.late_by} after its sla of {self.sla} from the run's start at {self.run_start.isoformat()}")


def alert_sla_miss(miss: SlaMiss, callback_path: str | None) -> None:
    """Logs the miss as an error and calls the configured callback; a failing callback does not fail the job."""
    log.error(miss.message())
    if not callback_path:
        return
    try:
        module, _, function = callback_path.partition(":")
        getattr(importlib.import_module(module), function)(miss)
    except Exception:
        log.exception("SLA callback %s failed", callback_path)


# ---------------------------------------------------------------- the operator


class GoodhartJobOperator(BaseOperator):
    """Runs one job of the spec as a subprocess, streaming its output to the task log."""

    template_fields = ("date",)
    ui_color = "#e8f0fe"

    def __init__(self, *, job: JobSpec, date: str = "{{ ds }}", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job = job
        self.date = date
        self._process: subprocess.Popen | None = None

    def execute(self, context: Any) -> None:
        dag_run = context["dag_run"]
        run_start = getattr(dag_run, "start_date", None) or datetime.now(timezone.utc)
        self.run_job(Settings.resolve(), run_start, context["dag"].dag_id, str(context["ds"]))

    def run_job(self, settings: Settings, run_start: datetime, dag_id: str = "goodhart_nightly",
                logical_date: str | None = None) -> None:
        argv = build_argv(self.job, settings, self.date)
        if argv is None:
            raise AirflowSkipException(
                f"{self.job.name} needs the {self.job.when} option; set Variable goodhart_{self.job.when} "
                f"or env GOODHART_{self.job.when.upper()} to run it")
        deadline = run_start + self.job.sla
        self.log.info("running %s (cwd %s; sla: done by %s)", shlex.join(argv), settings.workdir, deadline.isoformat())

        def miss(still_running: bool) -> None:
            alert_sla_miss(SlaMiss(dag_id, self.task_id, logical_date or self.date, self.job.sla, run_start,
                                   datetime.now(timezone.utc) - deadline, still_running), settings.sla_callback)

        # own process group, so that a timeout or a kill stops the JVM / spark-submit and its children too
        self._process = subprocess.Popen(argv, cwd=settings.workdir, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True, start_new_session=True)
        reader = threading.Thread(target=self._stream_output, args=(self._process,), daemon=True)
        reader.start()
        alerted = False
        try:
            while True:
                left = (deadline - datetime.now(timezone.utc)).total_seconds()
                try:
                    code = self._process.wait(timeout=max(left, 1) if not alerted else None)
                    break
                except subprocess.TimeoutExpired:
                    if datetime.now(timezone.utc) >= deadline:
                        miss(still_running=True)
                        alerted = True
        finally:
            self._stop_process()  # only does something when interrupted (timeout, kill)
            reader.join(timeout=10)
        if not alerted and datetime.now(timezone.utc) > deadline:
            miss(still_running=False)
        raise_for_exit_code(self.job.name, code)

    def _stream_output(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.log.info("%s", line.rstrip("\n"))

    def _stop_process(self) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        self.log.warning("stopping %s (process group %d)", self.job.name, process.pid)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def on_kill(self) -> None:
        self._stop_process()


# ---------------------------------------------------------------- the DAG

SCHEDULE, JOBS = load_spec(SPEC_PATH, parse_sources(os.environ.get("GOODHART_INGEST_SOURCES")))

with DAG(
    dag_id="goodhart_nightly",
    description=f"goodhart's nightly job graph, generated from {SPEC_PATH.name}",
    # data intervals, not Airflow 3's default trigger timetable: the run for logical date D starts when D
    # is over (at the next tick), so --date D finds the day's whole delivery
    schedule=CronDataIntervalTimetable(SCHEDULE, timezone="UTC"),
    start_date=pendulum.parse(START_DATE, tz="UTC"),
    catchup=True,  # a missed night, or a new start date, is run date by date (a backfill)
    max_active_runs=1,  # the nights share tables; one at a time keeps commits from racing
    doc_md=__doc__,
    tags=["goodhart"],
) as dag:
    tasks = {
        job.name: GoodhartJobOperator(
            task_id=job.name,
            job=job,
            retries=job.retries,
            retry_delay=job.retry_delay,
            execution_timeout=job.timeout,
            # skipped upstreams (a feed not delivered) are fine, failed ones stop this task
            trigger_rule="none_failed" if job.depends_on else "all_success",
        )
        for job in JOBS
    }
    for job in JOBS:
        for upstream in job.depends_on:
            tasks[upstream] >> tasks[job.name]
