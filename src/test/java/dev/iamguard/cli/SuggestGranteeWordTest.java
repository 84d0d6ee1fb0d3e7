package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A database user named as a word the GRANT ASSUMEROLE grammar reads in or around its grantee list
 * ({@code ROLE}, {@code GROUP}, {@code FOR}, {@code TO}, {@code ALL}, ...) is quoted in the grants suggest
 * writes, so the guard's own parser reads back exactly the users named, in every position of the list.
 * Without the fix, {@code TO role, bob} read as the role {@code bob}: user {@code role} was granted nothing and
 * a role {@code bob} was granted the chain.
 */
class SuggestGranteeWordTest {
  static final List<String> WORDS = List.of("role", "group", "for", "to", "from", "on", "all", "default", "grant",
      "revoke", "assumerole", "user", "with", "copy", "unload");

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String word : WORDS) {
      all.add(Arguments.of(List.of(word, "bob")));
      all.add(Arguments.of(List.of("bob", word)));
      all.add(Arguments.of(List.of(word)));
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theGrantsReadBackAsGrantedToExactlyTheUsersNamed(List<String> users) {
    List<String> args = new ArrayList<>(List.of("suggest", "--cluster", "c1", "--account", "123456789012",
        "--region", "us-west-2", "--format", "sql"));
    for (String user : users) {
      args.addAll(List.of("--user", user));
    }
    args.add("-");
    CliRun run = CliRun.withStdin("copy t from 's3://bkt/in/' iam_role 'arn:aws:iam::123456789012:role/R1';\n",
        args.toArray(String[]::new));

    assertThat(run.code()).as(run.err()).isZero();
    List<SqlStatement> grants = SqlScript.parse(run.out()).statements();
    assertThat(grants).as(run.out()).hasSize(1);
    SqlStatement grant = grants.get(0);
    assertThat(grant.command().kind()).isEqualTo(CommandKind.GRANT_ASSUMEROLE);
    assertThat(grant.command().isUnparseable()).as(run.out()).isFalse();
    assertThat(grant.command().grant().grantees()).as(run.out()).containsExactlyInAnyOrderElementsOf(users.stream()
        .map(u -> new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.USER, u)).toList());
    assertThat(grant.command().grant().commands()).as(run.out()).containsExactly("COPY");
  }
}
