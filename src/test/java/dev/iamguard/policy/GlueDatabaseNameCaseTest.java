package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Glue database named with capitals ({@code DATABASE 'SalesDB'}): the Data Catalog keeps
 * database names in lower case, and whether the ARN IAM is asked about holds the name as the
 * statement wrote it or as Glue stores it is not documented. Under IAM documents the guard may
 * not pick: a Deny on either spelling applies, and an Allow must cover both.
 *
 * <p>Generated: 4 names x (Deny on the lower-case name, Deny on the name as written, Allow on
 * only one spelling, Allow on both) x 2 ways to name the database (CREATE EXTERNAL SCHEMA ... DATABASE, CREATE
 * DATABASE ... FROM ARN).
 */
class GlueDatabaseNameCaseTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/RoleA";
  private static final String DB_ARN = "arn:aws:glue:us-west-2:123456789012:database/";

  @TempDir Path dir;

  private Guard guard(String statements) throws Exception {
    return new Guard(DocumentRoleRegistry.of(ROLE, "{Effect: Allow, Action: \"glue:GetDatabase\", Resource:"
        + " \"arn:aws:glue:us-west-2:123456789012:catalog\"}, " + statements, dir));
  }

  static Stream<Arguments> names() {
    List<Arguments> all = new ArrayList<>();
    for (String name : List.of("SalesDB", "SALES", "Web_Events", "dbA1")) {
      for (boolean arn : List.of(false, true)) {
        all.add(Arguments.of(name, arn));
      }
    }
    return all.stream();
  }

  private static String schema(String name, boolean arn) {
    return arn ? "create database d from arn '" + DB_ARN + name + "' with data catalog schema s iam_role '" + ROLE + "'"
        : "create external schema s from data catalog database '" + name + "' iam_role '" + ROLE + "'";
  }

  private static boolean allowed(Guard guard, String sql) {
    return guard.inspect(sql, Session.of("u", "c1")).findings().isEmpty();
  }

  private static String allow(String name) {
    return "{Effect: Allow, Action: \"glue:GetDatabase\", Resource: \"" + DB_ARN + name + "\"}";
  }

  private static String deny(String name) {
    return "{Effect: Deny, Action: \"glue:*\", Resource: \"" + DB_ARN + name + "\"}";
  }

  @ParameterizedTest(name = "{0} (ARN {1})")
  @MethodSource("names")
  void aDenyOnEitherSpellingApplies(String name, boolean arn) throws Exception {
    String lower = name.toLowerCase(Locale.ROOT);
    String everything = "{Effect: Allow, Action: \"glue:*\", Resource: \"*\"}";

    assertThat(allowed(guard(everything + ", " + deny(lower)), schema(name, arn))).isFalse();
    assertThat(allowed(guard(everything + ", " + deny(name)), schema(name, arn))).isFalse();
    assertThat(allowed(guard(everything + ", " + deny("other")), schema(name, arn))).isTrue();
  }

  @ParameterizedTest(name = "{0} (ARN {1})")
  @MethodSource("names")
  void anAllowMustCoverBothSpellings(String name, boolean arn) throws Exception {
    String lower = name.toLowerCase(Locale.ROOT);

    assertThat(allowed(guard(allow(name)), schema(name, arn))).isFalse();
    assertThat(allowed(guard(allow(lower)), schema(name, arn))).isFalse();
    assertThat(allowed(guard(allow(name) + ", " + allow(lower)), schema(name, arn))).isTrue();
    // a name written in lower case is one spelling
    assertThat(allowed(guard(allow(lower)), schema(lower, arn))).isTrue();
  }
}
