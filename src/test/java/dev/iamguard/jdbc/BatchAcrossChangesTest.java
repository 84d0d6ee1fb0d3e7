package dev.iamguard.jdbc;

import static dev.iamguard.jdbc.RegistryReloadTest.version;
import static dev.iamguard.jdbc.RegistryReloadTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch is decided entry by entry at {@code addBatch} and sent at {@code executeBatch}. What
 * changes in between, a registry reload (role removed, prefix narrowed, alias moved, mode from
 * audit or off to enforce) or the identity (SET SESSION AUTHORIZATION run on another statement of
 * the connection), reaches the batch before it is sent: for every change, every place of the
 * affected entry among harmless ones, and both ways of executing, a batch the new state denies is
 * refused whole and nothing of it reaches the target.
 */
class BatchAcrossChangesTest {
  private static final String V0 = "arn:aws:iam::123456789012:role/V0";
  private static final String UNLOAD = "UNLOAD ('select 1') TO 's3://lake/%s/x_' IAM_ROLE '%s'";

  @TempDir
  Path dir;

  /** A change between addBatch and executeBatch, and an entry it makes the batch refuse. */
  record Change(String name, String before, String after, String entry) {}

  private static List<Change> changes() {
    String trusted = "    trust:\n      db_users: [arn:aws:redshift:us-west-2:123456789012:dbuser:dev-cluster/etl]\n";
    return List.of(
        new Change("role removed", version(0), version(1), String.format(Locale.ROOT, UNLOAD, "a", V0)),
        new Change("alias moved", version(0), version(2), String.format(Locale.ROOT, UNLOAD, "a", "current")),
        new Change("audit to enforce", version(0) + "policy:\n  mode: audit\n", version(0),
            String.format(Locale.ROOT, UNLOAD, "b", V0)),
        new Change("off to enforce", version(0) + "policy:\n  mode: \"off\"\n", version(0),
            String.format(Locale.ROOT, UNLOAD, "b", V0)),
        new Change("prefix narrowed", version(0), version(0).replace("lake/a/", "lake/a/only/"),
            String.format(Locale.ROOT, UNLOAD, "a", V0)),
        // the registry stays; another statement of the connection makes bob run the batch, whom V0 does not trust
        new Change("identity changed", version(0) + trusted, null, String.format(Locale.ROOT, UNLOAD, "a", V0)));
  }

  private static final List<String> HARMLESS = List.of("INSERT INTO t VALUES (1)", "UPDATE t SET a = 2");

  private final List<String> sent = new ArrayList<>();

  private Connection target() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          if (method.getReturnType() == Statement.class) {
            List<String> pending = new ArrayList<>();
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class}, (s, m, a) -> {
              switch (m.getName()) {
                case "addBatch" -> pending.add((String) a[0]);
                case "clearBatch" -> pending.clear();
                case "executeBatch", "executeLargeBatch" -> {
                  sent.add(m.getName() + " of " + pending.size());
                  boolean fails = pending.stream().anyMatch(text -> text.contains("1/0"));
                  pending.clear();
                  if (fails) {
                    throw new java.sql.BatchUpdateException("division by zero", "22012", new int[0]);
                  }
                }
                default -> {
                  if (m.getName().startsWith("execute") && !((String) a[0]).startsWith("SET SESSION")) {
                    sent.add(m.getName());
                  }
                }
              }
              return GuardCoverageTest.defaultValue(m.getReturnType());
            });
          }
          if (method.getName().equals("getAutoCommit")) {
            return true;
          }
          return GuardCoverageTest.defaultValue(method.getReturnType());
        });
  }

  private Connection guarded(Path registry) throws SQLException {
    return new GuardConnection(target(), PreparedAcrossReloadTest.reloading(registry));
  }

  interface Execution {
    void run(Statement statement) throws SQLException;
  }

  private static final Map<String, Execution> EXECUTIONS = Map.of("executeBatch", Statement::executeBatch,
      "executeLargeBatch", Statement::executeLargeBatch);

  @Test
  void aChangeBetweenAddBatchAndExecuteBatchReachesTheBatch() throws Exception {
    int checked = 0;
    for (Change change : changes()) {
      for (int place = 0; place <= HARMLESS.size(); place++) {
        for (Map.Entry<String, Execution> execution : EXECUTIONS.entrySet()) {
          List<String> entries = new ArrayList<>(HARMLESS);
          entries.add(place, change.entry());
          String what = change.name() + ", " + execution.getKey() + ": " + entries;
          Path registry = dir.resolve("registry-" + checked + ".yaml");
          write(registry, change.before());
          Connection connection = guarded(registry);
          Statement batch = connection.createStatement();
          for (String entry : entries) {
            batch.addBatch(entry);
          }
          if (change.after() != null) {
            write(registry, change.after());
          } else {
            connection.createStatement().execute("SET SESSION AUTHORIZATION 'bob'");
          }
          sent.clear();
          SQLException refused = catchThrowableOfType(SQLException.class, () -> execution.getValue().run(batch));
          assertThat((Throwable) refused).as(what).isNotNull();
          assertThat(sent).as("%s: nothing reaches the target", what).isEmpty();
          if (change.name().equals("alias moved")) {
            assertThat(refused.getMessage()).as(what).contains("rewritten differently");
          } else {
            assertThat((Throwable) refused).as(what).isInstanceOf(GuardDeniedException.class);
          }
          sent.clear();
          batch.executeBatch();
          assertThat(sent).as("%s: the refused batch was emptied", what).containsExactly("executeBatch of 0");
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(changes().size() * (HARMLESS.size() + 1) * EXECUTIONS.size());
  }

  /**
   * Every batch of up to four entries, each harmless, checked and still allowed after the change, or
   * checked and denied after it: the batch is refused whole exactly when it holds a denied entry,
   * wherever the checked entries stand among the others; a rewrite of the registry that changes no
   * rule sends every such batch whole.
   */
  @Test
  void everyMixOfCheckedAndUncheckedEntriesIsDecidedAgainEntryByEntry() throws Exception {
    String narrowed = version(0).replace("lake/a/", "lake/a/only/");
    Map<Character, String> kinds = Map.of('H', HARMLESS.get(0),
        'K', String.format(Locale.ROOT, UNLOAD, "a/only", V0), // inside the narrowed prefix: allowed before and after
        'D', String.format(Locale.ROOT, UNLOAD, "a", V0)); // outside it: allowed before, denied after
    List<String> mixes = new ArrayList<>(List.of(""));
    int checked = 0;
    for (int length = 1; length <= 4; length++) {
      List<String> longer = new ArrayList<>();
      for (String mix : mixes) {
        for (char kind : new char[] {'H', 'K', 'D'}) {
          longer.add(mix + kind);
        }
      }
      mixes = longer;
      for (String mix : mixes) {
        for (String after : List.of(narrowed, version(0) + "# other bytes, the same rules\n")) {
          Path registry = dir.resolve("mix-" + checked + ".yaml");
          write(registry, version(0));
          Statement batch = guarded(registry).createStatement();
          for (char kind : mix.toCharArray()) {
            batch.addBatch(kinds.get(kind));
          }
          write(registry, after);
          sent.clear();
          boolean denies = after.equals(narrowed) && mix.indexOf('D') >= 0;
          String what = mix + (after.equals(narrowed) ? " after the prefix narrowed" : " after the same rules");
          SQLException refused = catchThrowableOfType(SQLException.class, batch::executeBatch);
          if (denies) {
            assertThat((Throwable) refused).as(what).isInstanceOf(GuardDeniedException.class);
            assertThat(sent).as("%s: nothing reaches the target", what).isEmpty();
          } else {
            assertThat((Throwable) refused).as(what).isNull();
            assertThat(sent).as(what).containsExactly("executeBatch of " + mix.length());
          }
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(2 * (3 + 9 + 27 + 81));
  }

  /**
   * A batch that fails may have run its entries up to the failure, a COMMIT among them keeping a
   * REVOKE before it (red-team review): its revokes are kept and its grants dropped, wherever the
   * change, the COMMIT and the failing entry stand; without a COMMIT entry nothing of it counts.
   */
  @Test
  void aFailedBatchKeepsTheRevokesItMayHaveCommittedAndDropsItsGrants() throws Exception {
    String granted = version(0) + "grants:\n  - on: [" + V0 + "]\n    to: [etl]\n    for: [UNLOAD]\n";
    String unload = String.format(Locale.ROOT, UNLOAD, "a", V0);
    List<List<String>> shapes = List.of(List.of("%s", "COMMIT", "select 1/0"), List.of("select 1", "%s", "END", "select 1/0"),
        List.of("%s", "select 1/0", "COMMIT"), List.of("BEGIN", "%s", "COMMIT", "select 1", "select 1/0"));
    int checked = 0;
    for (List<String> shape : shapes) {
      for (boolean revoke : new boolean[] {true, false}) {
        Path registry = dir.resolve("grants-" + checked + ".yaml");
        write(registry, revoke ? granted : version(0) + "grants:\n  - on: [" + V0 + "]\n    to: [bob]\n    for: [UNLOAD]\n");
        Connection connection = guarded(registry);
        Statement batch = connection.createStatement();
        String change = revoke ? "REVOKE ASSUMEROLE ON '" + V0 + "' FROM etl FOR UNLOAD"
            : "GRANT ASSUMEROLE ON '" + V0 + "' TO etl FOR UNLOAD";
        String what = (revoke ? "revoke " : "grant ") + shape;
        for (String entry : shape) {
          batch.addBatch(entry.replace("%s", change));
        }
        assertThat((Throwable) catchThrowableOfType(SQLException.class, batch::executeBatch)).as(what).isNotNull()
            .isNotInstanceOf(GuardDeniedException.class);
        assertThat((Throwable) catchThrowableOfType(SQLException.class, () -> connection.createStatement().execute(unload)))
            .as(what + ": the revoke kept, the grant dropped").isInstanceOf(GuardDeniedException.class);
        checked++;
      }
    }
    Path registry = dir.resolve("no-commit.yaml");
    write(registry, granted);
    Connection connection = guarded(registry);
    Statement batch = connection.createStatement();
    batch.addBatch("REVOKE ASSUMEROLE ON '" + V0 + "' FROM etl FOR UNLOAD");
    batch.addBatch("select 1/0");
    assertThat((Throwable) catchThrowableOfType(SQLException.class, batch::executeBatch)).isNotNull();
    connection.createStatement().execute(String.format(Locale.ROOT, UNLOAD, "a", V0)); // rolled back with the batch
    assertThat(checked).isEqualTo(8);
  }

  @Test
  void aBatchNothingChangedForRunsAsBefore() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    Connection connection = guarded(registry);
    Statement batch = connection.createStatement();
    batch.addBatch(String.format(Locale.ROOT, UNLOAD, "a", V0));
    batch.addBatch(HARMLESS.get(0));
    write(registry, version(0) + "# other bytes, the same rules\n");
    sent.clear();
    batch.executeBatch();
    assertThat(sent).containsExactly("executeBatch of 2");
  }
}
