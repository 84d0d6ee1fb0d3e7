package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ?} parameters beside a clause the guard rewrites (an alias to its ARN, here an ARN whose
 * path holds {@code ?}, {@code --} and {@code ;} that IAM allows): the text the target prepares is
 * the application's text with only the clause's value replaced, it holds exactly the parameters
 * the application wrote (counted outside literals, names and comments by the small scanner here,
 * not the guard's lexer), and every setXxx reaches the target with the same index and value, a
 * value holding quotes or a clause included, also across addBatch. Parameters where the guard
 * must read a value (the role, the location) are refused before anything is prepared.
 */
class RewriteBesideParametersTest {
  static final String ACCOUNT = "111122223333";
  static final String ARN = "arn:aws:iam::" + ACCOUNT + ":role/a?b/--/;/Odd";

  @TempDir
  Path dir;

  /** A call the target received: the method and its arguments. */
  record Call(String method, List<Object> args) {}

  /** A target connection that prepares nothing for real: it records what it was given. */
  static Connection recordingTarget(List<String> prepared, List<Call> calls) {
    return (Connection) Proxy.newProxyInstance(RewriteBesideParametersTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
          case "prepareStatement" -> {
            prepared.add((String) args[0]);
            yield recordingStatement(calls);
          }
          case "nativeSQL" -> args[0];
          case "getAutoCommit", "isClosed", "isReadOnly" -> method.getName().equals("getAutoCommit");
          case "isWrapperFor" -> false;
          case "getMetaData", "getWarnings", "getSchema", "getCatalog" -> null;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "recording target";
          default -> nothing(method.getReturnType());
        });
  }

  static PreparedStatement recordingStatement(List<Call> calls) {
    return (PreparedStatement) Proxy.newProxyInstance(RewriteBesideParametersTest.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
          calls.add(new Call(method.getName(), args == null ? List.of() : List.of(args)));
          return switch (method.getName()) {
            case "execute" -> false;
            case "executeUpdate" -> 0;
            case "executeBatch" -> new int[0];
            case "getUpdateCount" -> -1;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "recording statement";
            default -> nothing(method.getReturnType());
          };
        });
  }

  /** What a recording object answers to a call it does not know: false, zero or null. */
  static Object nothing(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == long.class) {
      return 0L;
    }
    return type == int.class ? 0 : null;
  }

  /** The parameters of {@code sql}: {@code ?} outside quotes, double quotes, dollar quotes and comments. */
  static int placeholders(String sql) {
    int count = 0;
    for (int k = 0; k < sql.length(); k++) {
      char c = sql.charAt(k);
      if (c == '\'' || c == '"') {
        k = closing(sql, k, c);
      } else if (c == '-' && sql.startsWith("--", k)) {
        int end = sql.indexOf('\n', k);
        k = end < 0 ? sql.length() : end;
      } else if (c == '/' && sql.startsWith("/*", k)) {
        int end = sql.indexOf("*/", k + 2);
        k = end < 0 ? sql.length() : end + 1;
      } else if (c == '$' && sql.startsWith("$$", k)) {
        int end = sql.indexOf("$$", k + 2);
        k = end < 0 ? sql.length() : end + 1;
      } else if (c == '?') {
        count++;
      }
    }
    return count;
  }

  private static int closing(String sql, int open, char quote) {
    for (int k = open + 1; k < sql.length(); k++) {
      if (sql.charAt(k) == '\\' && quote == '\'') {
        k++;
      } else if (sql.charAt(k) == quote) {
        if (k + 1 < sql.length() && sql.charAt(k + 1) == quote) {
          k++;
        } else {
          return k;
        }
      }
    }
    return sql.length();
  }

  /** Texts with the alias at {@code {A}} and parameters before, after and beside the clause. */
  static final List<String> TEXTS = List.of(
      "insert into t values (?, ?); copy t from 's3://data/in/x' iam_role {A} csv",
      "copy t from 's3://data/in/x' iam_role {A} csv; select * from t where a = ? and b = ?",
      "select ?; unload ('select * from t where a = ''?''') to 's3://data/out/x' iam_role {A}; select ?",
      "insert into t values (? /* iam_role 'odd' */, ?);\ncopy t from 's3://data/in/x'\n  IAM_ROLE {A} csv -- ?\n;select '?', ?",
      "update t set a = ? where b = '{A}' ; copy t from 's3://data/in/x' iam_role {A}",
      "copy t from 's3://data/in/x' iam_role {A} delimiter '?' csv; insert into t select ?, \"?\" from t");

  static final List<String> VALUES = List.of("x", "o'neil", "'; copy t from 's3://x/y' iam_role 'arn:aws:iam::1:role/Z'; --",
      "iam_role 'odd'", "?", "\\'", "$$");

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String text : TEXTS) {
      // a prefixed literal (E'odd') is denied, not rewritten: RewriteOwnBytesTest
      for (String alias : List.of("'odd'", "'ODD'")) {
        for (boolean batch : List.of(false, true)) {
          cases.add(Arguments.of(text, alias, batch));
        }
      }
    }
    return cases.stream();
  }

  Connection open(List<String> prepared, List<Call> calls) throws Exception {
    return open(recordingTarget(prepared, calls));
  }

  /** {@link #recordingTarget} whose {@code nativeSQL} answers as the Redshift driver's does ({@code ?} numbered). */
  static Connection driverLike(Connection recording) {
    return (Connection) Proxy.newProxyInstance(RewriteBesideParametersTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("nativeSQL")) {
            return DriverSplitTest.nativeSql((String) args[0]);
          }
          try {
            return method.invoke(recording, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  Connection open(Connection target) throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, "version: 1\nclusters:\n  - id: west\n    account: \"" + ACCOUNT + "\"\n"
        + "    region: us-west-2\n    attached_roles: [\"" + ARN + "\"]\n"
        + "roles:\n  - arn: \"" + ARN + "\"\n    alias: odd\n    trust:\n      regions: [\"*\"]\n"
        + "    allow:\n      s3_read: [\"s3://data/in/\"]\n      s3_write: [\"s3://data/out/\"]\n"
        + "policy:\n  rewrite_aliases: true\n");
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", registry.toString());
    ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
        dev.iamguard.policy.Session.of("etl", null), false);
    return new GuardConnection(target, policy);
  }

  /**
   * A prepared text that the driver sends otherwise than written (a {@code ?} after a name, which
   * {@code $1} would join; a JDBC escape) is read as the driver's {@code nativeSQL} answers, with its
   * {@code ?} numbered: rewritten, it would hold {@code $1} where the application binds a parameter,
   * so it is refused before anything is prepared. A text whose every {@code ?} stands after a space,
   * a bracket, an operator or a quote is read as written and rewritten as before.
   */
  @org.junit.jupiter.api.Test
  void aPreparedTextReadWithItsParametersNumberedIsNotRewritten() throws Exception {
    for (String sql : List.of("select a from t where b = c?; copy t from 's3://data/in/x' iam_role 'odd' csv",
        "copy t from 's3://data/in/x' iam_role 'odd' csv; select x?1",
        "select {fn ucase(?)}; copy t from 's3://data/in/x' iam_role 'odd'")) {
      List<String> prepared = new ArrayList<>();
      try (Connection connection = open(driverLike(recordingTarget(prepared, new ArrayList<>())))) {
        SQLException refused = catchThrowableOfType(() -> connection.prepareStatement(sql), SQLException.class);
        assertThat((Throwable) refused).as(sql).isNotNull();
        assertThat(refused.getMessage()).as(sql).contains("numbered ($1, ...)");
        assertThat(prepared).as(sql).isEmpty();
      }
    }
    String sql = "copy t from 's3://data/in/x' iam_role 'odd' delimiter '?' csv; select a from t where b = (?)::int";
    List<String> prepared = new ArrayList<>();
    try (Connection connection = open(driverLike(recordingTarget(prepared, new ArrayList<>())));
        PreparedStatement statement = connection.prepareStatement(sql)) {
      assertThat(prepared).containsExactly(sql.replace("'odd'", "'" + ARN + "'"));
    }
  }

  @ParameterizedTest(name = "{0} {1} batch={2}")
  @MethodSource("cases")
  void theTargetPreparesTheTextWithOnlyTheClauseReplacedAndGetsEveryParameterAsSet(String text, String alias,
      boolean batch) throws Exception {
    String sql = text.replace("iam_role {A}", "iam_role " + alias).replace("IAM_ROLE {A}", "IAM_ROLE " + alias)
        .replace("{A}", "odd");
    String expected = text.replace("iam_role {A}", "iam_role '" + ARN + "'")
        .replace("IAM_ROLE {A}", "IAM_ROLE '" + ARN + "'").replace("{A}", "odd");
    List<String> prepared = new ArrayList<>();
    List<Call> calls = new ArrayList<>();
    try (Connection connection = open(prepared, calls);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      assertThat(prepared).containsExactly(expected);
      int count = placeholders(sql);
      assertThat(placeholders(prepared.get(0))).isEqualTo(count).isGreaterThan(0);
      List<Call> set = new ArrayList<>();
      for (int round = 0; round < (batch ? 2 : 1); round++) {
        for (int index = 1; index <= count; index++) {
          String value = VALUES.get((index + round) % VALUES.size());
          statement.setString(index, value);
          set.add(new Call("setString", List.of(index, value)));
        }
        if (batch) {
          statement.addBatch();
          set.add(new Call("addBatch", List.of()));
        }
      }
      if (batch) {
        statement.executeBatch();
        set.add(new Call("executeBatch", List.of()));
      } else {
        statement.execute();
        set.add(new Call("execute", List.of()));
      }
      assertThat(calls.stream().filter(c -> c.method().startsWith("set") || c.method().startsWith("execute")
          || c.method().equals("addBatch")).toList()).isEqualTo(set);
    }
  }

  /** Texts with parameters and an emulated COPY on a local H2 target: the guard cannot map the parameters, so it refuses. */
  static Stream<Arguments> h2Texts() {
    List<Arguments> texts = new ArrayList<>();
    for (String alias : List.of("'loader'", "'LOADER'", "DEFAULT")) {
      texts.add(Arguments.of("insert into t values (?); copy t from 's3://lake/in/t/' iam_role " + alias
          + " csv; insert into t values (?)"));
      texts.add(Arguments.of("copy t from 's3://lake/in/t/'\n iam_role " + alias + " csv;\ninsert into t values (? + 0)"));
      texts.add(Arguments.of("insert into t select ? from (values (1)) v(x) where '?' = '?'; copy t from 's3://lake/in/t/' "
          + "iam_role " + alias + " csv"));
    }
    return texts.stream();
  }

  @TempDir
  Path s3;

  @ParameterizedTest
  @MethodSource("h2Texts")
  void aLocalTargetRefusesParametersBesideAnEmulatedCopy(String sql) throws Exception {
    Files.createDirectories(s3.resolve("lake/in/t"));
    Files.writeString(s3.resolve("lake/in/t/part1"), "1\n2\n3\n");
    try (Connection connection = TestRegistry.openH2(s3)) {
      try (java.sql.Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE t (v INT)");
      }
      int count = placeholders(sql);
      SQLException refused = catchThrowableOfType(() -> {
        try (PreparedStatement prepared = connection.prepareStatement(sql)) {
          for (int index = 1; index <= count; index++) {
            prepared.setInt(index, 100 * index);
          }
          prepared.execute();
        }
      }, SQLException.class);
      List<Integer> rows = new ArrayList<>();
      try (java.sql.Statement statement = connection.createStatement();
          java.sql.ResultSet rs = statement.executeQuery("SELECT v FROM t ORDER BY v")) {
        while (rs.next()) {
          rows.add(rs.getInt(1));
        }
      }
      // an emulated text takes no parameters: refused at the first setXxx, before anything ran
      assertThat((Throwable) refused).as(sql).isNotNull();
      assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("0AI01");
      assertThat(rows).as("nothing half-run").isEmpty();
    }
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("copy t from 's3://data/in/x' iam_role ?"),
        Arguments.of("copy t from ? iam_role 'odd'"),
        Arguments.of("insert into t values (?); copy t from 's3://data/in/x' iam_role ? csv"),
        Arguments.of("unload ('select 1') to ? iam_role 'odd'"),
        Arguments.of("copy t from 's3://data/in/x' credentials ?"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void aParameterWhereTheGuardMustReadAValueIsRefusedBeforeItIsPrepared(String sql) throws Exception {
    List<String> prepared = new ArrayList<>();
    List<Call> calls = new ArrayList<>();
    try (Connection connection = open(prepared, calls)) {
      SQLException refused = catchThrowableOfType(() -> connection.prepareStatement(sql), SQLException.class);
      assertThat((Throwable) refused).isNotNull();
      assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
      assertThat(prepared).isEmpty();
    }
  }
}
