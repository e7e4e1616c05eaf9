"""The curated tables are plain Iceberg: other engines read them and get Spark's figures.

pyiceberg opens the lake's catalog (the Iceberg JDBC catalog on SQLite that goodhart writes) with its own
SqlCatalog and scans curated_private.team_weekly_engagement (every figure, the data team's table) into Arrow; DuckDB aggregates that Arrow table. Both
are compared with the same queries run by Spark through `goodhart sql --format json`. The lake is the
bundled sample loaded by `goodhart quickstart` into target/sample-lake."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from pyiceberg.catalog.sql import SqlCatalog

REPO = Path(__file__).resolve().parents[3]
JAR = REPO / "target" / "goodhart.jar"

ENGAGEMENT_COLUMNS = ["week_start", "level", "group_key", "eligible_developers", "engaged_developers",
                      "engagement_rate", "total_tokens", "genuine_engaged_developers", "padding_cost_usd"]
WEEKLY_AGGREGATE = ("SELECT iso_week, count(*) AS teams, sum(engaged_developers) AS engaged, "
                    "sum(total_tokens) AS tokens, sum(padding_tokens) AS padding_tokens, "
                    "round(sum(padding_cost_usd), 6) AS padding_cost_usd "
                    "FROM {table} WHERE level = 'team' GROUP BY iso_week ORDER BY iso_week")


def goodhart(lake: Path, *args: str) -> str:
    result = subprocess.run([str(REPO / "goodhart"), *args, "--conf", f"goodhart.lake.dir={lake}"],
                            cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"goodhart {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def spark_rows(lake: Path, sql: str) -> list[dict]:
    return json.loads(goodhart(lake, "sql", "--format", "json", "-e", sql))


@pytest.fixture(scope="module")
def lake() -> Path:
    """target/sample-lake, which DashboardBrowserIT loads during the Maven build; loaded here when absent
    or older than the jar (the tests run alone)."""
    assert JAR.is_file(), f"{JAR} is built by the Maven build that runs before these tests (scripts/test.sh)"
    folder = REPO / "target" / "sample-lake"
    marker = folder / ".quickstart-done"
    if not marker.is_file() or marker.stat().st_mtime < JAR.stat().st_mtime:
        shutil.rmtree(folder, ignore_errors=True)
        goodhart(folder, "quickstart")
        marker.write_text("goodhart quickstart on datasets/sample\n")
    return folder


@pytest.fixture(scope="module")
def engagement(lake: Path):
    catalog = SqlCatalog("lake", uri=f"sqlite:///{lake}/catalog.db", warehouse=(lake / "warehouse").as_uri())
    return catalog.load_table(("curated_private", "team_weekly_engagement")).scan().to_arrow()


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def test_pyiceberg_reads_every_row_spark_wrote(lake: Path, engagement) -> None:
    spark = spark_rows(lake, f"SELECT {', '.join(ENGAGEMENT_COLUMNS)} FROM curated_private.team_weekly_engagement")
    arrow = [{c: (str(r[c]) if c == "week_start" else r[c]) for c in ENGAGEMENT_COLUMNS}
             for r in engagement.select(ENGAGEMENT_COLUMNS).to_pylist()]
    key = lambda r: (r["week_start"], r["level"], r["group_key"] or "")
    spark, arrow = sorted(spark, key=key), sorted(arrow, key=key)
    assert len(arrow) == len(spark) > 100
    for s, a in zip(spark, arrow):
        assert all(same(s[c], a[c]) for c in ENGAGEMENT_COLUMNS), (s, a)


def test_duckdb_aggregates_to_sparks_figures(lake: Path, engagement) -> None:
    spark = spark_rows(lake, WEEKLY_AGGREGATE.format(table="curated_private.team_weekly_engagement"))
    con = duckdb.connect()
    con.register("team_weekly_engagement", engagement)
    cursor = con.execute(WEEKLY_AGGREGATE.format(table="team_weekly_engagement"))
    names = [d[0] for d in cursor.description]
    ducks = [dict(zip(names, row)) for row in cursor.fetchall()]
    assert [d["iso_week"] for d in ducks] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    assert len(ducks) == len(spark)
    for s, d in zip(spark, ducks):
        assert all(same(s[c], d[c]) for c in names), (s, d)
