"""Shared fixtures: the repo's paths, the spec read independently of the DAG, and an Airflow home."""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "orchestration" / "dags"
SPEC = REPO / "jobs" / "nightly.yaml"
JAR = REPO / "target" / "goodhart.jar"
BIN = Path(sys.executable).parent  # the venv's bin/, where `airflow` is

# Quiet, isolated Airflow for everything in this process: never the user's ~/airflow or its config.
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="goodhart-airflow-tests-")
atexit.register(shutil.rmtree, os.environ["AIRFLOW_HOME"], ignore_errors=True)
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def spec() -> dict:
    """jobs/nightly.yaml as plain YAML, so the DAG is checked against the file and not against itself."""
    return yaml.safe_load(SPEC.read_text())


@pytest.fixture(scope="session")
def dag_module():
    """The DAG file imported as a module, for its operator and helpers."""
    loader = importlib.util.spec_from_file_location("goodhart_nightly_under_test", DAGS / "goodhart_nightly.py")
    module = importlib.util.module_from_spec(loader)
    sys.modules[loader.name] = module  # dataclasses look their module up there
    loader.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def jar() -> Path:
    if not JAR.is_file():
        pytest.fail(f"{JAR} is missing: build it first (mvn -B -o -Dmaven.test.skip=true package, "
                    "or run scripts/test.sh, which runs Maven before these tests)")
    return JAR


class AirflowHome:
    """An AIRFLOW_HOME in a temp folder with a migrated SQLite metadata database."""

    def __init__(self, root: Path):
        self.root = root
        self.env = {
            **os.environ,
            "AIRFLOW_HOME": str(root),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        }
        # Nothing from the caller's shell leaks into the run, except the JVM flags of the goodhart
        # processes (scripts/test-python.sh sets them for short-lived test processes).
        for name in list(self.env):
            if name == "GOODHART_JAVA_OPTS":
                continue
            if name.startswith("GOODHART_") or name.startswith("AIRFLOW_VAR_GOODHART"):
                del self.env[name]
        self.airflow("db", "migrate")

    def airflow(self, *args: str, check: bool = True, env: dict | None = None, timeout: int = 900):
        result = subprocess.run([str(BIN / "airflow"), *args], env={**self.env, **(env or {})},
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"airflow {' '.join(args)} exited {result.returncode}:\n"
                                 f"{result.stdout[-5000:]}\n{result.stderr[-5000:]}")
        return result


@pytest.fixture
def airflow_home(tmp_path) -> AirflowHome:
    return AirflowHome(tmp_path / "airflow")
