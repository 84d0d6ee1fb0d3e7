package dev.iamguard.cli;

import static dev.iamguard.cli.CheckCommandTest.REGISTRY;
import static dev.iamguard.cli.CheckCommandTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a folder's files are checked on all cores, and the report is the same as checking them
 * one after another: same order, same counts, whatever finishes first. One after another means as
 * {@code run} sends them, on one connection: a file after one that sets the session authorization
 * is checked as the user it set.
 */
class FolderCheckTest {
  static final List<String> STATEMENTS = List.of(
      "select 1", "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload'",
      "unload ('select 1') to 's3://acmedata/exports/x_' iam_role 'copy-unload'", "copy job run load_t",
      "set session authorization 'user3'", "copy t from 's3://acmedata/redshift/y' iam_role 'copy-unload'",
      "-- iamguard:allow S3_NOT_PERMITTED accepted\nunload ('select 2') to 's3://acmedata/exports/y_' iam_role default");

  @TempDir
  Path dir;

  List<Path> files = new ArrayList<>();

  @BeforeEach
  void folder() throws IOException {
    for (int i = 0; i < 40; i++) {
      StringBuilder script = new StringBuilder();
      for (int k = 0; k <= i % 5; k++) {
        script.append(STATEMENTS.get((i * 3 + k) % STATEMENTS.size())).append(";\n");
      }
      if (i == 17) { // larger than CheckCommand.BUFFERED_FILE: streamed in its turn while the others run ahead
        String line = STATEMENTS.get(1) + ";\n" + STATEMENTS.get(2) + ";\n";
        script.append(line.repeat((int) (CheckCommand.BUFFERED_FILE / line.length()) + 10));
      }
      Path file = dir.resolve(String.format("%02d/s%02d.sql", i / 10, i));
      Files.createDirectories(file.getParent());
      files.add(Files.writeString(file, script));
    }
  }

  static CliRun check(String format, String path) {
    return check(format, path, "user1");
  }

  static CliRun check(String format, String path, String user) {
    return CliRun.of("check", "--registry", REGISTRY, "--user", user, "--format", format, path);
  }

  /**
   * Who runs {@code file} when the folder's files run in order on one connection (as {@code run}
   * sends them): user3 once an earlier file sent SET SESSION AUTHORIZATION 'user3', else user1.
   */
  String userFor(Path file) {
    for (Path earlier : files.subList(0, files.indexOf(file))) {
      try {
        if (Files.readString(earlier).contains(STATEMENTS.get(4))) {
          return "user3";
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return "user1";
  }

  @Test
  void jsonOfTheFolderIsEachFileInOrder() {
    CliRun folder = check("json", dir.toString());

    List<Object> expected = new ArrayList<>();
    long[] counts = new long[4];
    for (Path file : files) {
      Map<String, Object> one = check("json", file.toString(), userFor(file)).json();
      expected.addAll(at(one, "statements"));
      Map<String, Object> summary = at(one, "summary");
      counts[0] += (Integer) summary.get("statements");
      counts[1] += (Integer) summary.get("allowed");
      counts[2] += (Integer) summary.get("rewritten");
      counts[3] += (Integer) summary.get("denied");
    }
    assertThat((List<Object>) at(folder.json(), "statements")).isEqualTo(expected);
    Map<String, Object> summary = at(folder.json(), "summary");
    assertThat(new long[] {((Number) summary.get("statements")).longValue(), ((Number) summary.get("allowed")).longValue(),
        ((Number) summary.get("rewritten")).longValue(), ((Number) summary.get("denied")).longValue()})
        .containsExactly(counts);
    assertThat(folder.code()).isEqualTo(1);
  }

  @Test
  void textAndSarifOfTheFolderAreEachFileInOrder() {
    StringBuilder lines = new StringBuilder();
    List<Object> results = new ArrayList<>();
    for (Path file : files) {
      String out = check("text", file.toString(), userFor(file)).out();
      lines.append(out, 0, out.lastIndexOf('\n', out.length() - 2) + 1); // without the summary line
      results.addAll(at(check("sarif", file.toString(), userFor(file)).json(), "runs", 0, "results"));
    }

    String text = check("text", dir.toString()).out();
    assertThat(text.substring(0, text.lastIndexOf('\n', text.length() - 2) + 1)).isEqualTo(lines.toString());
    assertThat((List<Object>) at(check("sarif", dir.toString()).json(), "runs", 0, "results")).isEqualTo(results);
  }

  /** Results come in the list's order even when a later item finishes first. */
  @Test
  void inOrderHandsResultsOverInTheListsOrder() {
    CountDownLatch secondDone = new CountDownLatch(1);
    List<String> handed = new ArrayList<>();
    Function<Integer, String> work = item -> {
      if (item == 0) {
        try {
          assertThat(secondDone.await(30, TimeUnit.SECONDS)).isTrue(); // the first waits for the second
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      if (item == 1) {
        secondDone.countDown();
      }
      return "r" + item;
    };

    new InOrder<Integer, String>(2, 4).run(List.of(0, 1, 2, 3, 4), item -> item != 3, work,
        new InOrder.Handler<>() {
          @Override
          public void buffered(Integer item, String result) {
            handed.add(result);
          }

          @Override
          public void inTurn(Integer item) {
            handed.add("turn" + item);
          }
        });

    assertThat(handed).containsExactly("r0", "r1", "r2", "turn3", "r4");
  }

  @Test
  void aFailureIsThrownInItsTurn() {
    List<String> handed = new ArrayList<>();
    Function<Integer, String> work = item -> {
      if (item == 2) {
        throw new CliException("item 2 is unreadable");
      }
      return "r" + item;
    };

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InOrder<Integer, String>(2, 4).run(List.of(0, 1, 2, 3),
        item -> true, work, new InOrder.Handler<>() {
          @Override
          public void buffered(Integer item, String result) {
            handed.add(result);
          }

          @Override
          public void inTurn(Integer item) {
            handed.add("turn" + item);
          }
        })).isInstanceOf(CliException.class).hasMessage("item 2 is unreadable");
    assertThat(handed).containsExactly("r0", "r1");
  }
}
