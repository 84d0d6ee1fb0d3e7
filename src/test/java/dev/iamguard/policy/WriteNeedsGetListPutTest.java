package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under IAM documents a write to S3 needs what reading needs as well: "For UNLOAD to Amazon S3, GET,
 * LIST, and PUT permissions" (Database Developer Guide, IAM permissions for COPY, UNLOAD, and CREATE
 * LIBRARY). A role with s3:PutObject alone passed UNLOAD, which Redshift then refuses at run time.
 * Every write the guard judges (UNLOAD, CETAS, an INSERT into an external table) against every
 * combination of the three permissions, each in its own spelling.
 */
class WriteNeedsGetListPutTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/Writer";

  @TempDir
  Path dir;

  static final Map<String, String> GRANTS = Map.of(
      "get", "{Effect: Allow, Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::bkt/out/*\"}",
      "list", "{Effect: Allow, Action: \"s3:ListBucket\", Resource: \"arn:aws:s3:::bkt\","
          + " Condition: {StringLike: {\"s3:prefix\": \"out/*\"}}}",
      "put", "{Effect: Allow, Action: \"S3:putobject\", Resource: \"arn:aws:s3:::bkt/out/*\"}");

  static final List<String> WRITES = List.of(
      "unload ('select 1') to 's3://bkt/out/daily_' iam_role '" + ROLE + "'",
      "unload ('select 1') to 's3://bkt/out/m/' iam_role '" + ROLE + "' manifest allowoverwrite",
      "create external schema lake from data catalog database 'db' iam_role '" + ROLE + "';\n"
          + "create external table lake.t stored as parquet location 's3://bkt/out/t/' as select 1",
      "create external schema lake from data catalog database 'db' iam_role '" + ROLE + "';\n"
          + "create external table lake.t (id int) stored as parquet location 's3://bkt/out/t/';\n"
          + "insert into lake.t select 1");

  @Test
  void aWriteIsAllowedOnlyWithGetListAndPut() throws Exception {
    int checked = 0;
    for (int mask = 0; mask < 8; mask++) {
      StringBuilder statements = new StringBuilder("{Effect: Allow, Action: \"glue:*\", Resource: \"*\"}");
      List<String> names = List.of("get", "list", "put");
      for (int bit = 0; bit < 3; bit++) {
        if ((mask & 1 << bit) != 0) {
          statements.append(", ").append(GRANTS.get(names.get(bit)));
        }
      }
      Registry registry = DocumentRoleRegistry.of(ROLE, statements.toString(), dir);
      for (String write : WRITES) {
        Decision decision = new Guard(registry).inspect(write, Session.of("u", null));
        if (mask == 7) {
          assertThat(rules(decision)).as("all three / %s", write).isEmpty();
        } else {
          assertThat(rules(decision)).as("mask %d / %s", mask, write).contains(RuleId.S3_NOT_PERMITTED);
          assertThat(decision.allowed()).isFalse();
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(32);
  }
}
