package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.cli.ScriptFacesAgreeTest.Step;
import dev.iamguard.sql.ScriptReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's faces agree with {@code check} on generated scripts: {@code rewrite},
 * {@code explain --format json} and {@code run} on embedded H2, statement by statement, called
 * in-process as a user calls them (CLI.md, README "The command line").
 *
 * <p>The statements are {@link ScriptFacesAgreeTest}'s generator's (every auth-carrying command,
 * aliases, DEFAULT, CREDENTIALS forms, identity changes, transactions, procedures and CALLs,
 * comments, odd spacing, quoting and case), with more auth clauses in place of some aliases
 * ({@link #MORE_AUTHS}); this class lays them out into files as scripts are written: LF, CRLF or
 * lone CR line ends (mixed too), a byte order mark, psql meta-command lines the README says are
 * dropped ({@code \timing on}, {@code \set ON_ERROR_STOP on}, {@code \echo 'Loading'}) and
 * {@code \g} ending a statement, comment lines, inline suppressions, empty statements, several
 * statements on a line, a last statement without its {@code ;}, a file holding no statement, and
 * the statements of one script spread over several files of a folder (decided in one session, in
 * sorted order); one file is sometimes given on standard input. Three registries: the sample's,
 * one that rewrites {@code IAM_ROLE DEFAULT} and one that allows key credentials. Half the scripts
 * are read by every face in small pieces ({@link ScriptSource#chunk}), against {@code check} of the
 * script whole. Seed {@code -Diamguard.clifaces.seed}, count {@code -Diamguard.clifaces.scripts}.
 * Each script is tried as drawn ("wild", mostly denied somewhere) and "tame": the statements
 * {@code check} denies left out (but those a suppression accepts), again until none is, so that
 * rewrites, idempotence and a run to its end are exercised too.
 *
 * <p>Properties, each a list of differences (all must be empty; differences the README documents
 * are counted apart):
 * <ul>
 *   <li>{@code rewrite}: its output is the file with exactly the statements {@code check} reports
 *       as REWRITE replaced by the {@code sql} {@code check} reports, every other byte the same
 *       (printed, or {@code --in-place}, compared as bytes); denied: nothing printed, no file
 *       changed, exit 1.
 *   <li>{@code idempotent}: rewrite of the rewrite is the rewrite; {@code check} of it finds
 *       nothing to rewrite or deny, at the statements' places in it.
 *   <li>{@code places}: {@code check} lists one statement per generated statement, at the file,
 *       index, line and column CLI.md defines (first token; lines end at LF, CRLF or CR; a leading
 *       byte order mark is no column).
 *   <li>{@code explain}: the same file, index, line, column and command as {@code check}; roles
 *       as written, which {@code check} rewrote into exactly the registry's ARNs and named in its
 *       findings.
 *   <li>{@code run}: the statements it runs are those {@code check} allows, in order, with
 *       {@code check}'s decision, the rewritten text {@code check} reports sent (the audit file);
 *       it stops at {@code check}'s first denial, or runs to the end when there is none.
 *   <li>{@code pieces}: {@code check} read in small pieces lists and decides every statement as
 *       {@code check} of the script whole (README: the session carries from piece to piece).
 *   <li>{@code exit}: 0/1/2 alike across {@code check}, {@code rewrite} and {@code run}; a last
 *       file that is not UTF-8 is exit 2 on all four faces, nothing run and no file rewritten.
 * </ul>
 * Counted apart, as the README documents them: {@code rewrite} refuses to print a script holding
 * secret values (exit 2; README "iamguard rewrite"); a suppression changes {@code check}'s exit
 * code only (README "Inline suppressions"); a folder holding no statement is exit 2 for
 * {@code check} and {@code run}, 0 for {@code explain} and {@code rewrite} (README "The command
 * line", PathKindsTest).
 * {@code run} reads a script as the server does, not as psql (README "psql scripts"), so its
 * scripts hold no meta-command lines; H2 cannot run a PL/pgSQL procedure, its CALL, SET/RESET
 * ROLE, RESET ALL or set_config, so its scripts leave those out; a statement H2 refuses otherwise
 * (FAILED) ends the comparison there, counted apart.
 */
class CliFacesAgreeTest {
  private static final Path REGISTRY = Path.of("samples/registry.yaml");
  private static final long SEED = Long.getLong("iamguard.clifaces.seed", 2026120620L);
  private static final int SCRIPTS = Integer.getInteger("iamguard.clifaces.scripts", 20);
  private static final String BOM = "\uFEFF";
  private static final String[] META = {"\\timing on", "\\set ON_ERROR_STOP on", "\\echo 'Loading'"};
  /** What the registry's aliases and chains name (samples/registry.yaml). */
  private static final Map<String, String> ALIASES = Map.of("copy-unload", ScriptFacesAgreeTest.CU,
      "companyb", ScriptFacesAgreeTest.CHAIN);
  private static final Set<String> AUTH_COMMANDS = Set.of("COPY", "UNLOAD", "CREATE_EXTERNAL_SCHEMA",
      "CREATE_EXTERNAL_FUNCTION", "CREATE_MODEL", "CREATE_LIBRARY", "CREATE_DATABASE");
  /**
   * Auth clauses besides the generator's, put in place of some of its {@code iam_role 'copy-unload'}:
   * an alias in CREDENTIALS or in a chain, in other case, {@code 'SESSION'}, a literal continued
   * across lines or with a prefix (denied rather than rewritten: README "iamguard rewrite").
   */
  private static final String[] MORE_AUTHS = {"credentials 'aws_iam_role=copy-unload'",
      "iam_role 'copy-unload,arn:aws:iam::210987654321:role/RoleB'", "iam_role 'Copy-Unload'", "IAM_ROLE 'SESSION'",
      "iam_role 'copy-'\n'unload'", "iam_role E'copy-unload'", "iam_role 'COMPANYB'", "iam_role /* x */ 'copy-unload'"};
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::\\d{12}:role/[\\w+=.@-]+");
  private static final Pattern RUN_LINE = Pattern.compile("(.*):(\\d+) \\[(\\d+)\\] (\\S+) (ALLOW|REWRITE|DENY|FAILED)(.*)");

  @TempDir
  Path dir;

  /** One file of a laid-out script: its text, and where each of its statements stands in it. */
  record ScriptFile(String name, String text, List<Step> steps, List<int[]> spans) {}

  /** A script laid out in one or more files; {@code psql}: it holds meta-command lines. */
  record Layout(List<ScriptFile> files, boolean psql) {
    List<Step> steps() {
      return files.stream().flatMap(f -> f.steps().stream()).toList();
    }
  }

  /** One statement of a report: where it is, what it is and, for check, the decision. */
  record Reported(String file, int index, int line, int column, String command, String decision, String sql,
      List<String> rules, List<String> messages, Map<String, Object> raw) {
    String place() {
      return file + ":" + line + ":" + column + " [" + index + "]";
    }
  }

  private final Map<String, List<String>> differences = new TreeMap<>();
  private final Map<String, List<String>> documented = new TreeMap<>();
  private final Map<String, int[]> tried = new TreeMap<>();
  private int folder;
  /** Characters the faces read at a time ({@link ScriptSource#chunk}) for the script at hand. */
  private int pieces = ScriptReader.DEFAULT_CHUNK;
  /** The registry the script at hand is decided under: the sample's, or a variant of it. */
  private String registry;

  @Test
  void rewriteExplainAndRunAgreeWithCheckStatementByStatement() throws Exception {
    for (String property : List.of("rewrite", "idempotent", "places", "pieces", "explain", "run", "exit")) {
      differences.put(property, new ArrayList<>());
      tried.put(property, new int[1]);
    }
    Path s3 = dir.resolve("s3");
    for (String read : ScriptFacesAgreeTest.READS) {
      Path object = s3.resolve(read.substring("s3://".length())).resolve("part-0.txt");
      Files.createDirectories(object.getParent());
      Files.writeString(object, "1\n");
    }
    // the sample registry; one that rewrites IAM_ROLE DEFAULT too; one that allows key credentials
    String sample = Files.readString(REGISTRY);
    List<String> registries = List.of(REGISTRY.toString(),
        Files.writeString(dir.resolve("default-rewritten.yaml"), replaced(sample, "rewrite_default_role: false",
            "rewrite_default_role: true")).toString(),
        Files.writeString(dir.resolve("keys.yaml"), replaced(sample, "credentials: roles-only", "credentials: any"))
            .toString());
    Random random = new Random(SEED);
    int statements = 0;
    int[] verdicts = new int[3];
    int ranToEnd = 0;
    for (int i = 0; i < SCRIPTS; i++) {
      String user = random.nextInt(4) == 0 ? "user2" : "user1";
      registry = registries.get(random.nextInt(registries.size()));
      List<Step> steps = new ArrayList<>();
      for (Step step : ScriptFacesAgreeTest.script(random)) {
        String sql = step.sql();
        if (sql.contains("iam_role 'copy-unload'") && random.nextInt(3) == 0) {
          sql = sql.replace("iam_role 'copy-unload'", MORE_AUTHS[random.nextInt(MORE_AUTHS.length)]);
        }
        steps.add(new Step(sql, step.kind(), step.alone()));
      }
      long layoutSeed = random.nextLong();
      for (boolean tame : new boolean[] {false, true}) {
        List<Step> drawn = tame ? tame(steps, user, layoutSeed) : steps;
        String label = "script " + i + (tame ? " tame" : " wild") + " (" + user + ", " + Path.of(registry).getFileName()
            + ")";
        Layout layout = layout(drawn, new Random(layoutSeed), true);
        // half the scripts read in small pieces, each decided in the session the ones before it left
        pieces = random.nextBoolean() ? ScriptReader.DEFAULT_CHUNK : 8 + random.nextInt(300);
        List<Reported> checked = faces(label, layout, user);
        statements += checked.size();
        for (Reported r : checked) {
          verdicts[switch (r.decision()) { case "ALLOW" -> 0; case "REWRITE" -> 1; default -> 2; }]++;
        }
        // run: what H2 can run, read as the server reads it
        List<Step> runnable = new ArrayList<>();
        runnable.add(new Step("create table t (x int)", "table", false));
        drawn.stream().filter(s -> !Set.of("procedure", "call", "unfollowed identity").contains(s.kind()))
            .forEach(runnable::add);
        if (run(label, layout(runnable, new Random(layoutSeed + 1), false), user, s3)) {
          ranToEnd++;
        }
        if (!tame && i % 4 == 0) {
          unreadable(label, layout, user, s3);
        }
        if (!tame && i % 8 == 1) {
          nothing(label, random.nextBoolean(), user, s3);
        }
      }
    }
    System.out.printf("cli faces: %d scripts (wild and tame), %d statements checked (%d allowed, %d rewritten,"
        + " %d denied), %d runs to the end%n", SCRIPTS, statements, verdicts[0], verdicts[1], verdicts[2], ranToEnd);
    differences.forEach((property, list) -> System.out.printf("  %-11s %4d compared, %3d differ%s%n", property,
        tried.get(property)[0], list.size(), list.isEmpty() ? "" : ":\n    " + String.join("\n    ", list)));
    System.out.println("  scripts holding: " + features.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0])
        .collect(java.util.stream.Collectors.joining(", ")));
    documented.forEach((kind, list) -> System.out.printf("  documented %-28s %3d%s%n", kind, list.size(),
        list.isEmpty() ? "" : " (first: " + list.get(0) + ")"));
    assertThat(verdicts[1]).as("rewrites drawn").isGreaterThan(statements / 50);
    assertThat(verdicts[2]).as("denials drawn").isGreaterThan(statements / 20);
    assertThat(ranToEnd).as("runs to the end").isGreaterThan(SCRIPTS / 10);
    differences.forEach((property, list) -> assertThat(list).as(property).isEmpty());
  }

  // ---------------------------------------------------------------- layout

  /** The steps without those {@code check} denies, again until it denies none (at most five rounds). */
  private List<Step> tame(List<Step> steps, String user, long layoutSeed) throws IOException {
    List<Step> kept = steps;
    for (int round = 0; round < 5; round++) {
      Layout layout = layout(kept, new Random(layoutSeed), false);
      Path at = write(layout);
      List<Reported> checked = check(at, user).statements;
      if (checked.size() != kept.size()) {
        return kept; // the faces compare it; the places property says what went wrong
      }
      List<Step> next = new ArrayList<>();
      for (int n = 0; n < kept.size(); n++) {
        // a denial every finding of which a suppression accepts stays: check passes it, rewrite and run do not
        if (!checked.get(n).decision().equals("DENY") || !unsuppressed(checked.get(n))) {
          next.add(kept.get(n));
        }
      }
      if (next.size() == kept.size() || next.isEmpty()) {
        return next.isEmpty() ? kept : next;
      }
      kept = next;
    }
    return kept;
  }

  /** The steps written into one to three files, as people write scripts. */
  private static Layout layout(List<Step> steps, Random random, boolean psqlAllowed) {
    int count = steps.size() < 4 ? 1 : 1 + random.nextInt(3);
    boolean psql = psqlAllowed && random.nextInt(3) == 0;
    List<ScriptFile> files = new ArrayList<>();
    int from = 0;
    if (random.nextInt(8) == 0) {
      // a file holding no statement, sorted first
      files.add(new ScriptFile("f0.sql", psql ? "\\echo 'nothing here'\n-- nothing\n" : "-- nothing\n",
          List.of(), List.of()));
    }
    for (int f = 0; f < count; f++) {
      int to = f == count - 1 ? steps.size() : from + 1 + random.nextInt(Math.max(1, steps.size() - from - (count - f)));
      to = Math.min(to, steps.size() - (count - 1 - f));
      files.add(file("f" + (f + 1) + ".sql", steps.subList(from, to), random, psql));
      from = to;
    }
    return new Layout(files, psql);
  }

  private static ScriptFile file(String name, List<Step> steps, Random random, boolean psql) {
    // a lone CR ends a line for check and the server, not for psql (README "psql scripts"): not with meta lines
    String eol = random.nextBoolean() ? "\n" : !psql && random.nextInt(4) == 0 ? "\r" : "\r\n";
    boolean mixed = random.nextInt(4) == 0;
    StringBuilder text = new StringBuilder();
    if (random.nextInt(5) == 0) {
      text.append(BOM);
    }
    List<int[]> spans = new ArrayList<>();
    boolean lineStart = true;
    for (int n = 0; n < steps.size(); n++) {
      String end = mixed && random.nextBoolean() ? (eol.equals("\n") ? "\r\n" : "\n") : eol;
      if (psql && random.nextInt(8) == 0) {
        text.append("\\echo 'step ").append(n + 1).append('\'').append(end);
      }
      if (lineStart && psql && random.nextInt(4) == 0) {
        text.append(META[random.nextInt(META.length)]).append(end);
      }
      if (lineStart && random.nextInt(6) == 0) {
        text.append("-- step ").append(n + 1).append(end);
      }
      if (lineStart && random.nextInt(12) == 0) {
        // accepted by check alone (README "Inline suppressions"); unused ones are warnings
        text.append("-- iamguard:allow S3_NOT_PERMITTED,ROLE_NOT_ATTACHED,DB_USER_NOT_TRUSTED generated").append(end);
      }
      int start = text.length();
      text.append(steps.get(n).sql());
      spans.add(new int[] {start, text.length()});
      boolean last = n == steps.size() - 1;
      if (last && random.nextInt(3) == 0) {
        // no final semicolon: the end of the file ends the statement
        text.append(switch (random.nextInt(3)) { case 0 -> ""; case 1 -> end; default -> end + "-- the end" + end; });
        break;
      }
      if (psql && random.nextInt(5) == 0) {
        // psql sends its buffer at \\g as at a semicolon; the line is a meta-command line
        text.append(random.nextBoolean() ? " \\g" : end + "\\g").append(end);
        lineStart = true;
        continue;
      }
      text.append(random.nextInt(10) == 0 ? "; ;" : ";"); // an empty statement is none
      lineStart = true;
      switch (random.nextInt(8)) {
        case 0 -> text.append(' ').append(end);
        case 1 -> text.append("  -- done").append(end);
        case 2 -> text.append(end).append(end);
        case 3 -> {
          if (last) {
            text.append(end);
          } else {
            text.append(' '); // the next statement on the same line
            lineStart = false;
          }
        }
        default -> text.append(end);
      }
    }
    return new ScriptFile(name, text.toString(), List.copyOf(steps), spans);
  }

  /** The layout's files in a fresh folder; the folder, or the one file. */
  private Path write(Layout layout) throws IOException {
    Path folder = dir.resolve("scripts" + this.folder++);
    Files.createDirectories(folder);
    for (ScriptFile file : layout.files()) {
      Files.write(folder.resolve(file.name()), file.text().getBytes(StandardCharsets.UTF_8));
    }
    return layout.files().size() == 1 ? folder.resolve(layout.files().get(0).name()) : folder;
  }

  // ---------------------------------------------------------------- check, rewrite, explain

  /** A report of check or explain: its statements, exit code and error output. */
  record Report(int code, List<Reported> statements, String err, Map<String, Object> summary) {}

  private Report check(Path at, String user) {
    CliRun run = CliRun.of("check", "--registry", registry, "--user", user, "--format", "json", at.toString());
    return report(run);
  }

  /** check of a one-file script on standard input, its file named as the file's. */
  private Report checkStdin(ScriptFile file, String user) {
    Report report = report(CliRun.withStdin(file.text(), "check", "--registry", registry, "--user", user,
        "--format", "json", "-"));
    return new Report(report.code(), report.statements().stream().map(r -> r.file().equals("-")
        ? new Reported(file.name(), r.index(), r.line(), r.column(), r.command(), r.decision(), r.sql(), r.rules(),
            r.messages(), r.raw()) : r).toList(), report.err(), report.summary());
  }

  /** A statement of check's report as compared across readings: place, decision, rules and the sql sent. */
  private static String decided(Reported r) {
    return r.place() + " " + r.command() + " " + r.decision() + " " + r.rules()
        + (r.decision().equals("REWRITE") ? " " + r.sql() : "");
  }

  private static Report report(CliRun run) {
    List<Reported> list = new ArrayList<>();
    Map<String, Object> summary = null;
    if (run.code() != 2 || run.out().startsWith("{")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> read = (Map<String, Object>) run.json().get("summary");
      summary = read;
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> statements = (List<Map<String, Object>>) run.json().get("statements");
      for (Map<String, Object> s : statements) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> findings = (List<Map<String, Object>>) s.getOrDefault("findings", List.of());
        list.add(new Reported(Path.of((String) s.get("file")).getFileName().toString(),
            ((Number) s.get("index")).intValue(), ((Number) s.get("line")).intValue(),
            ((Number) s.get("column")).intValue(), (String) s.get("command"), (String) s.get("decision"),
            (String) s.get("sql"),
            findings.stream().filter(f -> !"warning".equalsIgnoreCase(String.valueOf(f.get("severity"))))
                .map(f -> String.valueOf(f.get("rule"))).toList(),
            findings.stream().map(f -> String.valueOf(f.get("message"))).toList(), s));
      }
    }
    return new Report(run.code(), list, run.err(), summary);
  }

  /** check, rewrite and explain of one laid-out script, compared; check's statements. */
  private List<Reported> faces(String label, Layout layout, String user) throws IOException {
    Path at = write(layout);
    boolean stdin = layout.files().size() == 1 && Math.floorMod(label.hashCode(), 3) == 0;
    // check of each script whole is the reference; every face then reads it in pieces of the size drawn
    Report check = stdin ? checkStdin(layout.files().get(0), user) : check(at, user);
    ScriptSource.chunk = pieces;
    try {
      return faces(label, layout, user, at, stdin, check);
    } finally {
      ScriptSource.chunk = ScriptReader.DEFAULT_CHUNK;
    }
  }

  private List<Reported> faces(String label, Layout layout, String user, Path at, boolean stdin, Report check)
      throws IOException {
    if (pieces != ScriptReader.DEFAULT_CHUNK) {
      tried.get("pieces")[0]++;
      Report inPieces = stdin ? checkStdin(layout.files().get(0), user) : check(at, user);
      List<String> whole = check.statements().stream().map(CliFacesAgreeTest::decided).toList();
      List<String> read = inPieces.statements().stream().map(CliFacesAgreeTest::decided).toList();
      if (inPieces.code() != check.code() || !read.equals(whole)) {
        List<String> apart = new ArrayList<>();
        for (int n = 0; n < Math.max(whole.size(), read.size()); n++) {
          String w = n < whole.size() ? whole.get(n) : "none";
          String r = n < read.size() ? read.get(n) : "none";
          if (!w.equals(r)) {
            apart.add("whole " + w + ", in pieces of " + pieces + " " + r);
          }
        }
        differ("pieces", label, "check exit " + check.code() + " whole, " + inPieces.code() + " in pieces; "
            + mask(String.join("; ", apart)));
      }
    }
    List<Step> steps = layout.steps();
    count(layout, stdin);
    if (check.code() == 2) {
      differ("exit", label, "check exit 2: " + mask(check.err()));
      return List.of();
    }
    // places: one statement per step, where CLI.md says
    tried.get("places")[0]++;
    List<String> expectedPlaces = places(layout.files(), null);
    List<String> checkPlaces = check.statements().stream().map(Reported::place).toList();
    if (!checkPlaces.equals(expectedPlaces)) {
      differ("places", label, "check lists " + checkPlaces + ", the files hold " + expectedPlaces
          + "\n" + mask(show(layout)));
      return check.statements();
    }
    boolean denied = check.statements().stream().anyMatch(r -> r.decision().equals("DENY"));
    checkExit(label, check);
    Map<String, Long> tally = new TreeMap<>(Map.of("statements", (long) check.statements().size(), "allowed", 0L,
        "rewritten", 0L, "denied", 0L));
    for (Reported r : check.statements()) {
      tally.merge(switch (r.decision()) { case "ALLOW" -> "allowed"; case "REWRITE" -> "rewritten"; default -> "denied"; },
          1L, Long::sum);
    }
    Map<String, Long> summary = new TreeMap<>();
    tally.keySet().forEach(key -> summary.put(key, check.summary() == null || check.summary().get(key) == null ? -1L
        : ((Number) check.summary().get(key)).longValue()));
    if (!summary.equals(tally)) {
      differ("places", label, "check's summary " + summary + ", its statements " + tally);
    }

    // explain: same statements, same places and commands, roles as written and as check judged them
    tried.get("explain")[0]++;
    CliRun explainRun = stdin ? CliRun.withStdin(layout.files().get(0).text(), "explain", "--format", "json", "-")
        : CliRun.of("explain", "--format", "json", at.toString());
    Report explain = report(explainRun);
    if (explain.code() != 0) {
      differ("explain", label, "explain exit " + explain.code() + ": " + mask(explain.err()));
    } else {
      for (int n = 0; n < check.statements().size(); n++) {
        Reported c = check.statements().get(n);
        Reported e = n < explain.statements().size() ? explain.statements().get(n) : null;
        if (e == null || !(stdin ? e.place().replaceFirst("^-", c.file()) : e.place()).equals(c.place())
            || !e.command().equals(c.command())) {
          differ("explain", label, "statement " + c.place() + " " + c.command() + ": explain "
              + (e == null ? "lists no such statement" : e.place() + " " + e.command()));
          break;
        }
        String roles = rolesDisagree(c, e);
        if (roles != null) {
          differ("explain", label, c.place() + " " + c.command() + ": " + roles + " (check " + c.decision() + " "
              + c.rules() + ")\n      " + mask(steps.get(n).sql().replace("\n", "\\n")));
        }
      }
      if (explain.statements().size() != check.statements().size()) {
        differ("explain", label, "explain lists " + explain.statements().size() + " statements, check "
            + check.statements().size());
      }
    }

    // rewrite: the files with exactly check's rewrites, every other byte the same; denied: nothing
    tried.get("rewrite")[0]++;
    Rewritten rewrites = rewritten(layout, check.statements());
    List<String> expected = rewrites.texts();
    boolean inPlace = layout.files().size() > 1 || Math.floorMod(label.hashCode(), 2) == 0;
    Path copy = write(layout);
    CliRun rewrite = inPlace ? CliRun.of("rewrite", "--registry", registry, "--user", user, "--in-place", copy.toString())
        : stdin ? CliRun.withStdin(layout.files().get(0).text(), "rewrite", "--registry", registry, "--user", user)
        : CliRun.of("rewrite", "--registry", registry, "--user", user, copy.toString());
    tried.get("exit")[0]++;
    if (rewrite.code() != check.code()) {
      if (rewrite.code() == 1 && denied && !unsuppressedDenial(check)) {
        documented("suppressed denial: check 0, rewrite 1", label);
      } else if (rewrite.code() == 2 && !inPlace && rewrite.err().contains("holds secret values")) {
        documented("rewrite refuses to print secrets", label);
      } else {
        differ("exit", label, "check exit " + check.code() + ", rewrite exit " + rewrite.code() + ": "
            + mask(rewrite.err()));
      }
    }
    List<String> after = new ArrayList<>();
    for (ScriptFile file : layout.files()) {
      Path path = Files.isDirectory(copy) ? copy.resolve(file.name()) : copy;
      after.add(new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
    }
    List<String> original = layout.files().stream().map(ScriptFile::text).toList();
    if (rewrite.code() == 0) {
      List<String> got = inPlace ? after : List.of(rewrite.out());
      List<String> want = inPlace ? expected : List.of(expected.get(0));
      if (!inPlace && !after.equals(original)) {
        differ("rewrite", label, "rewrite to standard output changed the file");
      }
      for (int f = 0; f < want.size(); f++) {
        if (!Objects.equals(got.get(f), want.get(f))) {
          differ("rewrite", label, layout.files().get(f).name() + ": rewrite differs from the file with check's"
              + " rewrites at char " + firstDifference(got.get(f), want.get(f)) + ": got "
              + around(got.get(f), want.get(f)));
        }
      }
      idempotent(label, layout, rewrites, user);
    } else if (rewrite.code() == 1) {
      if (!rewrite.out().isEmpty() || !after.equals(original)) {
        differ("rewrite", label, "denied, yet rewrite printed " + rewrite.out().length() + " chars or changed a file");
      }
    }
    return check.statements();
  }

  /** rewrite(rewrite(x)) is rewrite(x), and check of it finds nothing to rewrite or deny, in place. */
  private void idempotent(String label, Layout layout, Rewritten rewrites, String user) throws IOException {
    List<String> rewrittenTexts = rewrites.texts();
    tried.get("idempotent")[0]++;
    List<ScriptFile> files = new ArrayList<>();
    for (int f = 0; f < layout.files().size(); f++) {
      ScriptFile file = layout.files().get(f);
      files.add(new ScriptFile(file.name(), rewrittenTexts.get(f), file.steps(), null));
    }
    Layout again = new Layout(files, layout.psql());
    Path at = write(again);
    CliRun rewrite = CliRun.of("rewrite", "--registry", registry, "--user", user, "--in-place", at.toString());
    for (int f = 0; f < files.size(); f++) {
      Path path = Files.isDirectory(at) ? at.resolve(files.get(f).name()) : at;
      String twice = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
      if (rewrite.code() != 0 || !twice.equals(rewrittenTexts.get(f))) {
        differ("idempotent", label, files.get(f).name() + ": rewrite of the rewrite exit " + rewrite.code()
            + (twice.equals(rewrittenTexts.get(f)) ? "" : ", changed at char "
                + firstDifference(twice, rewrittenTexts.get(f))));
      }
    }
    Report check = check(at, user);
    List<String> places = places(layout.files(), rewrites);
    List<String> got = check.statements().stream().map(Reported::place).toList();
    List<String> left = check.statements().stream().filter(r -> !r.decision().equals("ALLOW"))
        .map(r -> r.place() + " " + r.decision() + " " + r.rules()).toList();
    if (check.code() != 0 || !left.isEmpty() || !got.equals(places)) {
      differ("idempotent", label, "check of the rewrite: exit " + check.code() + ", not allowed " + left
          + (got.equals(places) ? "" : ", places " + got + " where the rewrite holds them at " + places));
    }
  }

  /** The files' texts with check's REWRITE statements replaced by its sql, and where each statement starts then. */
  record Rewritten(List<String> texts, List<List<Integer>> starts) {}

  private static Rewritten rewritten(Layout layout, List<Reported> checked) {
    List<String> out = new ArrayList<>();
    List<List<Integer>> starts = new ArrayList<>();
    int n = 0;
    for (ScriptFile file : layout.files()) {
      StringBuilder text = new StringBuilder();
      List<Integer> at = new ArrayList<>();
      int from = 0;
      for (int s = 0; s < file.steps().size(); s++, n++) {
        int[] span = file.spans().get(s);
        text.append(file.text(), from, span[0]);
        at.add(text.length());
        Reported r = checked.get(n);
        text.append(r.decision().equals("REWRITE") ? r.sql() : file.text().substring(span[0], span[1]));
        from = span[1];
      }
      text.append(file.text(), from, file.text().length());
      out.add(text.toString());
      starts.add(at);
    }
    return new Rewritten(out, starts);
  }

  /**
   * Where each statement stands as CLI.md places it: file, line and column of its first token
   * (lines end at LF, CRLF or a lone CR; a leading byte order mark is no column), index from 1 per
   * file; in the files as laid out, or ({@code rewritten} not null) in their rewrites.
   */
  private static List<String> places(List<ScriptFile> files, Rewritten rewritten) {
    List<String> out = new ArrayList<>();
    for (int f = 0; f < files.size(); f++) {
      ScriptFile file = files.get(f);
      String text = rewritten == null ? file.text() : rewritten.texts().get(f);
      List<Integer> starts = rewritten == null ? file.spans().stream().map(span -> span[0]).toList()
          : rewritten.starts().get(f);
      for (int s = 0; s < starts.size(); s++) {
        int offset = starts.get(s);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
          char c = text.charAt(i);
          if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
            line++;
            lineStart = i + 1;
          }
        }
        int column = offset - lineStart + 1 - (line == 1 && text.startsWith(BOM) ? 1 : 0);
        out.add(file.name() + ":" + line + ":" + column + " [" + (s + 1) + "]");
      }
    }
    return out;
  }

  /**
   * Whether explain's auth of an auth-carrying statement disagrees with the roles check judged:
   * a REWRITE sends exactly the registry's ARNs for the roles explain reads; an allowed IAM_ROLE
   * names ARNs only (an alias is always rewritten here); a finding names no role the statement
   * does not reach. Null: they agree.
   */
  @SuppressWarnings("unchecked")
  private static String rolesDisagree(Reported check, Reported explain) {
    if (!AUTH_COMMANDS.contains(check.command())) {
      return null;
    }
    Map<String, Object> auth = (Map<String, Object>) explain.raw().get("auth");
    if (auth == null) {
      return "explain gives no auth";
    }
    List<String> roles = (List<String>) auth.get("roles");
    boolean isDefault = Boolean.TRUE.equals(auth.get("default"));
    List<String> resolved = new ArrayList<>();
    for (String role : roles) {
      resolved.add(ALIASES.getOrDefault(role.toLowerCase(Locale.ROOT), role)); // aliases in any case
    }
    if (isDefault) {
      resolved.add(ScriptFacesAgreeTest.CU);
    }
    String joined = String.join(",", resolved);
    if (check.decision().equals("REWRITE")) {
      if (check.sql() == null || !check.sql().contains("'" + joined + "'")) {
        return "check rewrote into " + mask(check.sql()) + ", explain reads roles " + roles;
      }
    } else if (check.decision().equals("ALLOW") && "IAM_ROLE".equals(auth.get("form")) && !isDefault
        && roles.stream().anyMatch(r -> !r.startsWith("arn:"))) {
      return "check allowed roles " + roles + " unrewritten";
    }
    Set<String> reached = new HashSet<>();
    for (String role : resolved) {
      reached.addAll(List.of(role.split(",")));
    }
    for (String message : check.messages()) {
      Matcher m = ROLE_ARN.matcher(message);
      while (m.find()) {
        String named = m.group().replaceAll("\\.+$", ""); // a sentence's full stop after the ARN
        if (!reached.isEmpty() && !reached.contains(named) && !reached.contains(m.group())) {
          return "a finding names " + named + ", explain reads " + roles;
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- run

  /**
   * {@code run} of a laid-out script on H2, against {@code check} of it: the statements run are
   * those check allows, with its decisions and rewritten texts, stopping at its first denial.
   * True when the run ran to its end.
   */
  private boolean run(String label, Layout layout, String user, Path s3) throws IOException {
    Path at = write(layout);
    Report check = check(at, user);
    Path audit = dir.resolve("audit-" + folder + ".jsonl");
    ScriptSource.chunk = pieces;
    CliRun run;
    try {
      run = CliRun.of("run", "--url", "jdbc:iamguard:h2:mem:" + UUID.randomUUID() + ";iamguard.audit-file=" + audit,
          "--registry", registry, "--user", user, "--local-s3", s3.toString(), at.toString());
    } finally {
      ScriptSource.chunk = ScriptReader.DEFAULT_CHUNK;
    }
    tried.get("run")[0]++;
    List<String> lines = run.out().lines().toList();
    List<String> sentRewrites = new ArrayList<>();
    if (Files.exists(audit)) {
      for (String line : Files.readAllLines(audit)) {
        Map<String, Object> event = CliRun.json(line);
        if ("REWRITE".equals(event.get("decision"))) {
          sentRewrites.add(String.valueOf(event.get("sql")));
        }
      }
    }
    List<String> checkRewrites = new ArrayList<>();
    int n = 0;
    boolean failed = false;
    for (String line : lines) {
      Matcher m = RUN_LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Reported c = n < check.statements().size() ? check.statements().get(n) : null;
      String file = Path.of(m.group(1)).getFileName().toString();
      int index = Integer.parseInt(m.group(3));
      String decision = m.group(5);
      if (c == null || !c.file().equals(file) || c.index() != index || c.line() != Integer.parseInt(m.group(2))) {
        differ("run", label, "run line " + line + " where check has " + (c == null ? "no statement" : c.place()));
        return false;
      }
      if (decision.equals("FAILED")) {
        documented("H2 refuses " + c.command() + " (" + m.group(6).trim() + ")", label + " " + c.place());
        failed = true;
        break;
      }
      if (!decision.equals(c.decision())) {
        differ("run", label, c.place() + " " + c.command() + ": run " + decision + ", check " + c.decision()
            + " " + c.rules() + "\n" + mask(show(layout)));
        return false;
      }
      if (decision.equals("REWRITE")) {
        checkRewrites.add(c.sql());
      }
      n++;
      if (decision.equals("DENY")) {
        break;
      }
    }
    boolean denied = check.statements().stream().anyMatch(r -> r.decision().equals("DENY"));
    if (!failed) {
      boolean stoppedAtDenial = n > 0 && check.statements().get(n - 1).decision().equals("DENY");
      boolean ranAll = n == check.statements().size() && !stoppedAtDenial;
      String tail = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
      if (!(stoppedAtDenial || ranAll)) {
        differ("run", label, "run stopped after " + n + " statements of " + check.statements().size()
            + " without a denial: " + tail + " " + mask(run.err()));
      } else if (ranAll != tail.startsWith("done:") || stoppedAtDenial != tail.startsWith("stopped:")) {
        differ("run", label, "run ends with " + tail);
      }
      tried.get("exit")[0]++;
      if (run.code() != check.code()) {
        if (run.code() == 1 && denied && !unsuppressedDenial(check)) {
          documented("suppressed denial: check 0, run 1", label);
        } else {
          differ("exit", label, "check exit " + check.code() + ", run exit " + run.code() + " (" + tail + ")");
        }
      }
      checkExit(label, check);
    }
    if (sentRewrites.size() != checkRewrites.size()) {
      differ("run", label, "run sent " + sentRewrites.size() + " rewrites, check rewrote " + checkRewrites.size()
          + " of the statements run");
    } else {
      for (int r = 0; r < sentRewrites.size(); r++) {
        String want = normal(checkRewrites.get(r));
        String got = normal(sentRewrites.get(r));
        if (!(want.equals(got) || got.length() >= 500 && want.startsWith(got))) {
          differ("run", label, "run sent " + mask(got) + " where check rewrote " + mask(want));
        }
      }
    }
    return !failed && n == check.statements().size() && !denied;
  }

  /**
   * The script with a last file that is not UTF-8: every face exits 2 (README: a later file that is
   * not UTF-8 ends the command with exit 2; run reads its files before the first statement runs),
   * run runs nothing and rewrite --in-place changes no file.
   */
  private void unreadable(String label, Layout layout, String user, Path s3) throws IOException {
    Path at = write(layout);
    Path folder = Files.isDirectory(at) ? at : at.getParent();
    Files.write(folder.resolve("f9.sql"), new byte[] {'s', 'e', 'l', 'e', 'c', 't', ' ', '\'', (byte) 0xFF, '\'', ';'});
    Map<String, CliRun> runs = new LinkedHashMap<>();
    runs.put("check", CliRun.of("check", "--registry", registry, "--user", user, "--format", "json", folder.toString()));
    runs.put("explain", CliRun.of("explain", "--format", "json", folder.toString()));
    runs.put("rewrite", CliRun.of("rewrite", "--registry", registry, "--user", user, "--in-place", folder.toString()));
    runs.put("run", CliRun.of("run", "--url", "jdbc:iamguard:h2:mem:" + UUID.randomUUID(), "--registry", registry,
        "--user", user, "--local-s3", s3.toString(), folder.toString()));
    tried.get("exit")[0]++;
    runs.forEach((face, run) -> {
      if (run.code() != 2 || !run.err().contains("f9.sql")) {
        differ("exit", label, "a last file not UTF-8: " + face + " exit " + run.code() + " " + mask(run.err()));
      }
    });
    if (RUN_LINE.matcher(runs.get("run").out()).find() || runs.get("run").out().lines().anyMatch(l -> RUN_LINE.matcher(l).matches())) {
      differ("run", label, "a last file not UTF-8: run ran " + runs.get("run").out());
    }
    for (ScriptFile file : layout.files()) {
      if (!new String(Files.readAllBytes(folder.resolve(file.name())), StandardCharsets.UTF_8).equals(file.text())) {
        differ("rewrite", label, "a last file not UTF-8: rewrite --in-place changed " + file.name());
      }
    }
  }

  /**
   * A folder of files holding no statement: check and run exit 2, explain and rewrite print
   * nothing and exit 0 (README "The command line": check or run; PathKindsTest), counted apart.
   */
  private void nothing(String label, boolean empty, String user, Path s3) throws IOException {
    Path folder = dir.resolve("nothing" + this.folder++);
    Files.createDirectories(folder);
    if (!empty) {
      Files.writeString(folder.resolve("a.sql"), "-- nothing yet\r\n; ;\n/* nor here */\n");
    }
    tried.get("exit")[0]++;
    int check = CliRun.of("check", "--registry", registry, "--user", user, folder.toString()).code();
    int run = CliRun.of("run", "--url", "jdbc:iamguard:h2:mem:" + UUID.randomUUID(), "--registry", registry,
        "--user", user, "--local-s3", s3.toString(), folder.toString()).code();
    CliRun explain = CliRun.of("explain", folder.toString());
    CliRun rewrite = CliRun.of("rewrite", "--registry", registry, "--user", user, "--in-place", folder.toString());
    if (check != 2 || run != 2 || explain.code() != 0 || rewrite.code() != 0 || !explain.out().isEmpty()) {
      differ("exit", label, "nothing to read: check " + check + ", run " + run + ", explain " + explain.code()
          + ", rewrite " + rewrite.code());
    } else {
      documented("nothing to read: check, run 2; explain, rewrite 0", label);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * check's exit code is 1 when a statement is denied for a finding no suppression accepted, else 0
   * (CLI.md; README "Inline suppressions": a suppression changes what check reports and its exit code).
   */
  private void checkExit(String label, Report check) {
    if (check.code() != (unsuppressedDenial(check) ? 1 : 0)) {
      differ("exit", label, "check exit " + check.code() + " with " + (unsuppressedDenial(check) ? "" : "no ")
          + "denial no suppression accepts");
    }
  }

  /** Whether a statement is denied for an error finding no suppression accepted. */
  private static boolean unsuppressedDenial(Report check) {
    return check.statements().stream().filter(r -> r.decision().equals("DENY")).anyMatch(CliFacesAgreeTest::unsuppressed);
  }

  /** Whether the statement has an error finding no suppression accepted. */
  @SuppressWarnings("unchecked")
  private static boolean unsuppressed(Reported statement) {
    return ((List<Map<String, Object>>) statement.raw().get("findings")).stream()
        .anyMatch(f -> "error".equals(f.get("severity")) && f.get("suppressed") == null);
  }

  private final Map<String, int[]> features = new TreeMap<>();

  /** What the laid-out scripts held, counted, so that the output shows the forms were drawn. */
  private void count(Layout layout, boolean stdin) {
    List<String> held = new ArrayList<>();
    held.add(layout.files().size() > 1 ? "several files" : "one file");
    for (ScriptFile file : layout.files()) {
      String text = file.text();
      held.add(text.startsWith(BOM) ? "byte order mark" : null);
      held.add(text.contains("\r\n") ? "CRLF" : null);
      held.add(text.matches("(?s).*\r[^\n].*") ? "lone CR" : null);
      held.add(text.matches("(?s).*(^|[\r\n])\\\\(timing|set|echo).*") ? "psql meta lines" : null);
      held.add(text.contains("\\g") ? "\\g" : null);
      held.add(text.contains("; ;") ? "empty statement" : null);
      held.add(file.steps().isEmpty() ? "file without statements" : null);
      held.add(text.contains("iamguard:allow") ? "suppressions" : null);
      held.add(!file.spans().isEmpty() && !text.substring(file.spans().get(file.spans().size() - 1)[1]).contains(";")
          && !text.substring(file.spans().get(file.spans().size() - 1)[1]).contains("\\g") ? "no final ;" : null);
    }
    held.add(stdin ? "standard input" : null);
    held.stream().filter(Objects::nonNull).distinct().forEach(h -> features.computeIfAbsent(h, k -> new int[1])[0]++);
  }

  private void differ(String property, String label, String what) {
    differences.get(property).add(label + ": " + what);
  }

  private void documented(String kind, String label) {
    documented.computeIfAbsent(kind, k -> new ArrayList<>()).add(label);
  }

  private static String show(Layout layout) {
    StringBuilder out = new StringBuilder();
    for (ScriptFile file : layout.files()) {
      out.append("      --- ").append(file.name()).append(": ")
          .append(file.text().replace("\r", "\\r").replace("\n", "\\n\n        ")).append('\n');
    }
    return out.toString();
  }

  private static int firstDifference(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  private static String around(String got, String want) {
    int at = firstDifference(got, want);
    int from = Math.max(0, at - 30);
    return mask(got.substring(from, Math.min(got.length(), at + 60)) + " | wanted "
        + want.substring(from, Math.min(want.length(), at + 60))).replace("\r", "\\r").replace("\n", "\\n");
  }

  private static String replaced(String text, String from, String to) {
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  private static String normal(String sql) {
    return sql == null ? "" : sql.replaceAll("\\s+", " ").trim();
  }

  private static String mask(String text) {
    return Objects.toString(text).replace(ScriptFacesAgreeTest.KEY_ID, "***")
        .replace(ScriptFacesAgreeTest.KEY_SECRET, "***");
  }
}
