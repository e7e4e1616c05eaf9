package io.goodhart.erasure;

import static org.apache.spark.sql.functions.col;

import io.goodhart.privacy.ErasureList;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import io.goodhart.padding.ClassifyJob;
import io.goodhart.privacy.PseudonymKey;
import io.goodhart.privacy.Pseudonyms;
import io.goodhart.publish.BiPublishJob;
import io.goodhart.runs.RecordedRun;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart forget --user ID}: erases one person from the lake on request.
 * <ol>
 *   <li>puts the keyed hash of the id on the erasure list first, so a re-delivery that lands while the
 *       rest runs (or after a crash half way) is already dropped by ingest and load-directory;</li>
 *   <li>deletes the person's rows from every table that holds them ({@link PersonData}): raw events and
 *       telemetry, by their id and by their other keys (the source keys their identities map, their directory
 *       emails), rejected lines, identities, directory stints (and their id as others' manager), private
 *       per-person rows and their BI copies; replaces the id in error texts of {@code job_runs};</li>
 *   <li>recomputes the weeks the person counted in: the curated jobs and bi-publish run for the lake's
 *       latest night, and the deletions reopen every affected week; verdicts are re-scored with the model
 *       that scored each week, so nobody else's verdict changes;</li>
 *   <li>removes the person from history: on every table that held them, every tag and branch is dropped
 *       (the leaderboards' per-night tags among them) and every snapshot but the current one is expired,
 *       which deletes the data files that still held the person.</li>
 * </ol>
 * Running it again for the same id is harmless. The id is never written anywhere, the job's own
 * {@code job_runs} row included.
 */
public final class ForgetJob {
  public static final String NAME = "forget";
  static final String REDACTED = "[erased person]";

  private final SparkSession spark;
  private final LakeTables tables;
  private final LakeConfig config;
  private final Consumer<String> progress;

  public ForgetJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.config = config;
    this.progress = progress;
  }

  /** What a run did: rows deleted per table, the night recomputed, snapshots expired per table. */
  public record Result(String runId, Map<String, Long> rowsErased, LocalDate nightRecomputed,
      Map<String, Long> snapshotsExpired) {}

  public Result run(String userId, String reason) {
    if (userId == null || userId.isBlank()) {
      throw new InputException("--user must name the user_id to erase");
    }
    if (reason != null && reason.contains(userId)) {
      throw new InputException("--reason holds the id being erased: it is stored in the erasure list, so give a "
          + "request reference instead");
    }
    return RecordedRun.of(spark, tables, NAME, progress).recordingErrorsAs(error -> redact(error, userId)).run(run -> {
      Result result = forget(userId, reason, run.runId(), run.started());
      Map<String, Long> metrics = new LinkedHashMap<>();
      result.rowsErased().forEach((t, n) -> metrics.put("rows_erased." + t, n));
      result.snapshotsExpired().forEach((t, n) -> metrics.put("snapshots_expired." + t, n));
      return run.done(result, run.succeeded().logicalDate(result.nightRecomputed()).written(result.rowsErased())
          .metrics(metrics));
    });
  }

  private Result forget(String userId, String reason, String runId, Instant started) {
    // The person's other keys, read before their identities and stints are deleted: raw telemetry of sources
    // that name people by email or account keeps the key it came with, resolved or not, and a re-delivery
    // under any of those keys is dropped by ingest like one under the directory id.
    PersonKeys keys = keysOf(userId);
    byte[] erasureKey = PseudonymKey.erasureKey(config);
    java.util.Set<String> listed = new java.util.TreeSet<>(List.of(userId));
    listed.addAll(keys.identityKeys());
    listed.addAll(keys.emails());
    java.util.Set<String> known = new java.util.HashSet<>(spark.table(tables.erasedPeople()).select("person_hash")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    List<Row> newHashes = listed.stream().map(k -> ErasureList.hash(erasureKey, k)).filter(h -> !known.contains(h))
        .distinct().map(h -> RowFactory.create(h, Timestamp.from(started), runId, reason)).toList();
    if (!newHashes.isEmpty()) {
      tables.append(spark.createDataFrame(newHashes, spark.table(tables.erasedPeople()).schema()), tables.erasedPeople(),
          runId);
      progress.accept("forget: on the erasure list (keyed hashes of the id and of " + (listed.size() - 1)
          + " other key(s)); ingest and load-directory drop the person's lines from now on");
    } else {
      progress.accept("forget: already on the erasure list; erasing whatever is left");
    }

    // BI rows carry the person's stable pseudonym, or in a week their team was suppressed one of that week
    // alone: both are computed for every week the person has private rows in.
    Pseudonyms pseudonyms = new Pseudonyms(PseudonymKey.resolve(config));
    java.util.Set<String> personIds = new java.util.TreeSet<>(List.of(pseudonyms.of(userId)));
    for (PersonData.Entry entry : PersonData.of(tables)) {
      if (entry.holds() == PersonData.Holds.ROWS_BY_USER_ID && entry.table().startsWith(tables.privateNamespace() + ".")) {
        for (Row week : spark.table(entry.table()).where(entry.column() + " = " + sqlString(userId))
            .select("week_start").distinct().collectAsList()) {
          personIds.add(pseudonyms.ofWeek(userId, week.getDate(0).toLocalDate()));
        }
      }
    }
    String anyPseudonym = personIds.stream().map(ForgetJob::sqlString)
        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    String byKeys = keys.condition();
    Map<String, Long> erased = new LinkedHashMap<>();
    for (PersonData.Entry entry : PersonData.of(tables)) {
      String condition = switch (entry.holds()) {
        case ROWS_BY_USER_ID -> entry.column() + " = " + sqlString(userId);
        case ROWS_BY_PERSON_KEYS -> entry.column() + " = " + sqlString(userId) + (byKeys == null ? "" : " OR " + byKeys);
        case ROWS_BY_PSEUDONYM -> entry.column() + " IN " + anyPseudonym;
        case REJECTED_LINES -> "instr(raw_line, " + sqlString(jsonString(userId)) + ") > 0" + keys.inRejectedLine();
        default -> null;
      };
      if (condition != null) {
        long rows = spark.table(entry.table()).where(condition).count();
        if (rows > 0) {
          spark.sql("DELETE FROM " + entry.table() + " WHERE " + condition);
          erased.put(entry.table(), rows);
        }
      }
      if (entry.holds() == PersonData.Holds.TEXT) {
        String mentions = entry.column() + " RLIKE " + sqlString(wholeId(userId));
        long rows = spark.table(entry.table()).where(mentions).count();
        if (rows > 0) {
          spark.sql("UPDATE " + entry.table() + " SET " + entry.column() + " = regexp_replace(" + entry.column() + ", "
              + sqlString(wholeId(userId)) + ", " + sqlString(REDACTED) + ") WHERE " + mentions);
          erased.put(entry.table(), rows);
        }
      }
    }
    String managerOf = "manager_id = " + sqlString(userId);
    long managed = spark.table(tables.developerDirectory()).where(managerOf).count();
    if (managed > 0) {
      spark.sql("UPDATE " + tables.developerDirectory() + " SET manager_id = NULL WHERE " + managerOf);
      erased.merge(tables.developerDirectory(), managed, Long::sum);
    }
    progress.accept("forget: deleted " + (erased.isEmpty() ? "nothing (nothing of the person was left)" : erased));

    LocalDate night = latestNight();
    if (night != null) {
      progress.accept("forget: recomputing the weeks the person counted in, through the night of " + night);
      new NightlyRunner(spark, tables, config.with(Map.of(ClassifyJob.PINNED_RUN, ClassifyJob.AS_SCORED)), progress)
          .run(new NightlyRunner.Options(night, night, null, null));
    }

    Map<String, Long> expired = new LinkedHashMap<>();
    for (PersonData.Entry entry : PersonData.of(tables)) {
      if (entry.holds() != PersonData.Holds.NOTHING) {
        long n = dropHistory(tables.iceberg(entry.table()));
        if (n > 0) {
          expired.put(entry.table(), n);
        }
      }
    }
    progress.accept("forget: history removed: " + expired.values().stream().mapToLong(Long::longValue).sum()
        + " snapshot(s) expired on " + expired.size() + " table(s), with every tag and branch on them; what the "
        + "leaderboards showed on earlier nights can no longer be read by time travel");
    return new Result(runId, erased, night, expired);
  }

  /** Keys other than the directory id that stand for the person: identity keys, and emails (lower-cased). */
  private record PersonKeys(java.util.Set<String> identityKeys, java.util.Set<String> emails) {
    /** A condition on {@code person_keys} that holds when a value of it is one of the keys; null when none. */
    String condition() {
      if (identityKeys.isEmpty() && emails.isEmpty()) {
        return null;
      }
      List<String> parts = new java.util.ArrayList<>();
      if (!identityKeys.isEmpty()) {
        parts.add("k IN " + list(identityKeys));
      }
      if (!emails.isEmpty()) {
        parts.add("lower(k) IN " + list(emails));
      }
      return "exists(map_values(person_keys), k -> " + String.join(" OR ", parts) + ")";
    }

    /** An addition to the rejected-lines condition: the line holds one of the keys as a JSON string. */
    String inRejectedLine() {
      StringBuilder out = new StringBuilder();
      identityKeys.forEach(k -> out.append(" OR instr(raw_line, ").append(sqlString(jsonString(k))).append(") > 0"));
      emails.forEach(k -> out.append(" OR instr(lower(raw_line), ").append(sqlString(jsonString(k))).append(") > 0"));
      return out.toString();
    }

    private static String list(java.util.Set<String> values) {
      return values.stream().map(ForgetJob::sqlString).collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }
  }

  private PersonKeys keysOf(String userId) {
    String ofPerson = "user_id = " + sqlString(userId);
    java.util.Set<String> identityKeys = new java.util.TreeSet<>();
    spark.table(tables.identities()).where(ofPerson).select("source_user_key").collectAsList()
        .forEach(r -> identityKeys.add(r.getString(0)));
    java.util.Set<String> emails = new java.util.TreeSet<>();
    spark.table(tables.developerDirectory()).where(ofPerson + " AND email IS NOT NULL").select("email")
        .collectAsList().forEach(r -> emails.add(r.getString(0).toLowerCase(java.util.Locale.ROOT)));
    // An identity key that is an email matches case-insensitively, as resolution matches it.
    identityKeys.stream().filter(k -> k.contains("@")).forEach(k -> emails.add(k.toLowerCase(java.util.Locale.ROOT)));
    return new PersonKeys(identityKeys, emails);
  }

  /** The logical date of the lake's latest successful bi-publish (else of any curated job), or null. */
  private LocalDate latestNight() {
    for (String jobs : List.of("job = '" + BiPublishJob.NAME + "'", "logical_date IS NOT NULL AND job <> '" + NAME + "'")) {
      Row latest = spark.table(tables.jobRuns()).where("status = 'succeeded' AND " + jobs)
          .agg(org.apache.spark.sql.functions.max("logical_date")).first();
      if (!latest.isNullAt(0)) {
        return latest.getDate(0).toLocalDate();
      }
    }
    return null;
  }

  /**
   * Drops every tag and branch but {@code main}, then expires every snapshot but the current one, deleting the
   * files only expired snapshots used. Returns the snapshots expired.
   */
  private static long dropHistory(Table table) {
    table.refresh();
    Map<String, SnapshotRef> refs = table.refs();
    if (refs.size() > 1) {
      ManageSnapshots manage = table.manageSnapshots();
      refs.forEach((name, ref) -> {
        if (!SnapshotRef.MAIN_BRANCH.equals(name)) {
          if (ref.isTag()) {
            manage.removeTag(name);
          } else {
            manage.removeBranch(name);
          }
        }
      });
      manage.commit();
      table.refresh();
    }
    long before = count(table.snapshots());
    if (before <= 1) {
      return 0;
    }
    // Named snapshot ids rather than an age: Iceberg then finds the files to delete by reachability. Its
    // incremental cleanup (taken for an age on a linear history) deletes only the files that expired
    // snapshots removed, and the files the erasure's own DELETE removed belong to the current snapshot.
    org.apache.iceberg.ExpireSnapshots expire = table.expireSnapshots().cleanExpiredFiles(true);
    long current = table.currentSnapshot().snapshotId();
    for (org.apache.iceberg.Snapshot snapshot : table.snapshots()) {
      if (snapshot.snapshotId() != current) {
        expire.expireSnapshotId(snapshot.snapshotId());
      }
    }
    expire.commit();
    table.refresh();
    return before - count(table.snapshots());
  }

  private static long count(Iterable<?> items) {
    long n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }

  /** A Spark SQL string literal of the text. */
  static String sqlString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** The id as it appears in a JSON line: a JSON string, quotes included. */
  static String jsonString(String text) {
    try {
      return new ObjectMapper().writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A pattern matching the id as a whole word (not as part of a longer id). */
  static String wholeId(String id) {
    return "(?<![A-Za-z0-9_.@-])" + Pattern.quote(id) + "(?![A-Za-z0-9_.@-])";
  }

  static String redact(String text, String userId) {
    return text.replaceAll(wholeId(userId), java.util.regex.Matcher.quoteReplacement(REDACTED));
  }
}
