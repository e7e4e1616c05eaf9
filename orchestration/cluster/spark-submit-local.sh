#!/usr/bin/env bash
# Runs the cluster jar the way a cluster runs it, on this machine: Spark's own spark-submit entry point
# (org.apache.spark.deploy.SparkSubmit, what a distribution's bin/spark-submit execs) on a classpath of
# only what a Spark 3.5.4 installation with hadoop-aws provides. Try a cluster change here first.
#   orchestration/cluster/spark-submit-local.sh nightly --date 2026-11-22 --input datasets/sample/events
# Spark options go in SPARK_SUBMIT_OPTS_EXTRA (e.g. "--conf spark.sql.shuffle.partitions=8").
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$HERE/target/goodhart-cluster.jar"
CLASSPATH_FILE="$HERE/target/spark-provided.classpath"

"$HERE/scripts/ensure-toolchain.sh"
if [ ! -f "$JAR" ] || [ ! -f "$CLASSPATH_FILE" ] \
   || [ -n "$(find "$HERE/pom.xml" "$HERE/src/main" "$HERE/sql" "$HERE/jobs" -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "spark-submit-local: building $JAR ..." >&2
  (cd "$HERE" && mvn -B -q -DskipTests package) >&2
fi

OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
# shellcheck disable=SC2086
exec java ${GOODHART_JAVA_OPTS:--XX:MaxRAMPercentage=60} "${OPENS[@]}" -cp "$(cat "$CLASSPATH_FILE")" \
  org.apache.spark.deploy.SparkSubmit --master "${SPARK_MASTER:-local[*]}" --class io.goodhart.cli.GoodhartCli \
  ${SPARK_SUBMIT_OPTS_EXTRA:-} "$JAR" "$@"
