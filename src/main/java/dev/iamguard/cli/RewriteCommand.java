package dev.iamguard.cli;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.SecretSpans;
import dev.iamguard.sql.SqlScript;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard rewrite}: the scripts with their auth clauses rewritten (aliases, and DEFAULT
 * when the registry asks), every other byte unchanged; one script to standard output, or each file
 * in place ({@code --in-place}, each written atomically), or a unified diff per file
 * ({@code --diff}). Scripts stream through piece by piece; the output is held in a temporary file
 * until every statement of every script is decided, so that when any statement is denied nothing
 * is printed or changed (the denials go to standard error, exit 1). A script that holds secret
 * values is refused when printed or diffed: no iamguard output ever carries a secret. In place it
 * is rewritten, as only the file that already held those values is written (probe 21d F11: data
 * such as {@code 'token=expired'}, which every report masks, blocked the rewrite of whole scripts).
 */
@Command(name = "rewrite", mixinStandardHelpOptions = true,
    description = "Prints the scripts with registry aliases (and DEFAULT, if configured) rewritten to role ARNs.")
final class RewriteCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  GuardOptions options;

  @ArgGroup(exclusive = true)
  Mode mode = new Mode();

  /** Where the rewritten scripts go: standard output (one script), each file itself, or a diff. */
  static final class Mode {
    @Option(names = "--in-place", description = "rewrite each file in place (atomically); unchanged files are not touched")
    boolean inPlace;

    @Option(names = "--diff", description = "print a unified diff per file instead of the scripts")
    boolean diff;
  }

  /** The first script found to hold secret values when the rewrite is printed; null while none. */
  private String heldSecrets;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "SQL files, folders (*.sql, recursively) or - for standard input (the default)")
  List<String> paths = new ArrayList<>();

  @Override
  public Integer call() {
    Registry registry = options.loadRegistry();
    Session session = options.session(registry);
    List<ScriptSource> sources = onceEach(Inputs.sources(paths));
    if (!mode.inPlace && !mode.diff && sources.size() > 1) {
      throw new CliException("rewrite of " + sources.size() + " scripts: give --in-place to rewrite each file, or "
          + "--diff for a diff per file (printing them one after another would join them)");
    }
    if (mode.inPlace && sources.stream().anyMatch(ScriptSource::isStdin)) {
      throw new CliException("--in-place rewrites files: standard input (-) has none");
    }
    for (ScriptSource source : sources) {
      if (mode.inPlace && !Files.isRegularFile(source.file())) {
        throw new CliException("--in-place rewrites files: " + source.name() + " is not one (a pipe or a device)");
      }
    }
    if (mode.inPlace) {
      refuseLinksOut(paths);
    }
    Guard guard = new Guard(registry);
    PrintWriter err = spec.commandLine().getErr();
    TextCheckReport denials = new TextCheckReport(FailOn.deny, true, false);
    Tally total = new Tally();
    List<Path> written = new ArrayList<>();
    List<FileStamp> read = new ArrayList<>();
    Path spool = mode.inPlace ? null : temporaryFile();
    boolean ok = false;
    Session carried = session;
    String writing = "a temporary file"; // in place, nothing is written before the first file
    try (Writer spooled = spool == null ? null : Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
      for (ScriptSource source : sources) {
        writing = mode.inPlace ? "the rewrite of " + source.name() : "a temporary file";
        Path target = mode.inPlace ? AtomicFile.temporaryBeside(source.file(), "the rewritten script") : null;
        written.add(target);
        read.add(mode.inPlace ? FileStamp.of(source.file()) : null);
        try (Writer own = target == null ? null : Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
          Sink sink = mode.diff ? new DiffSink(new UnifiedDiff(source.name(), spooled))
              : new TextSink(own != null ? own : spooled);
          // in order, each script in the session the ones before it left, as run sends them
          carried = rewrite(source, guard, carried, sink, !mode.inPlace, denials, err, total);
          sink.finish();
          if (target != null && !sink.changed()) {
            written.set(written.size() - 1, null);
            AtomicFile.delete(target);
          }
        }
      }
      ok = true;
    } catch (IOException | UncheckedIOException e) {
      // which file, and the system's reason without Java's class name (probe 24a F4: "java.io.IOException: No
      // space left on device" named no file); nothing was replaced
      IOException cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
      throw new CliException("cannot write " + writing + ": "
          + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
          + "; no file was rewritten");
    } finally {
      if (total.denied > 0 || !ok) {
        written.stream().filter(p -> p != null).forEach(AtomicFile::delete);
      }
      if (spool != null && (total.denied > 0 || !ok || heldSecrets != null)) {
        AtomicFile.delete(spool);
      }
    }
    if (total.denied > 0) {
      err.println(total.statements + " statements: " + total.allowed() + " allowed, " + total.rewritten
          + " rewritten, " + total.denied + " denied");
      return ExitCodes.DENIED;
    }
    if (heldSecrets != null) {
      throw new CliException(heldSecrets + ": holds secret values (keys, tokens or passwords); "
          + "rewrite does not print secrets: use IAM_ROLE instead of keys, or rewrite the file --in-place");
    }
    if (mode.inPlace) {
      moveOver(sources.stream().map(ScriptSource::file).toList(), written, read);
    } else {
      copy(spool, spec.commandLine().getOut());
    }
    return ExitCodes.OK;
  }

  /**
   * Moves each rewritten script ({@code written}, null where unchanged) over the file it was read
   * from (over the file it names, when a symbolic link), all or none: unless one of those files was
   * changed, replaced or deleted since it was read ({@code read}), as another writer's text must not
   * be lost to the rewrite of the old one (probe 22b F1: the rewrite was moved over it, or a deleted
   * file came back), and when a move fails part way, those already moved get their old text back
   * ({@link AtomicFile#replaceAll}): a set of scripts is never left half rewritten (the moves went
   * one by one and a failure left the files before it rewritten, the rest not).
   */
  static void moveOver(List<Path> files, List<Path> written, List<FileStamp> read) {
    Map<Path, Path> staged = new LinkedHashMap<>();
    try {
      for (int i = 0; i < files.size(); i++) {
        if (written.get(i) == null) {
          continue;
        }
        if (!read.get(i).equals(FileStamp.of(files.get(i)))) {
          throw new CliException(files.get(i) + " was changed, replaced or deleted while it was rewritten;"
              + " no file was written: rewrite them again");
        }
        staged.put(written.get(i), AtomicFile.contentOf(files.get(i), REWRITTEN));
      }
    } catch (CliException e) {
      written.stream().filter(p -> p != null).forEach(AtomicFile::delete);
      throw e;
    }
    AtomicFile.replaceAll(staged, target -> REWRITTEN);
  }

  private static final String REWRITTEN = "the rewritten script";

  /**
   * Rewrites {@code source} into {@code sink}; returns the session it leaves. {@code printed}: the
   * sink's text is printed, so a piece holding what the reports' masks hide stops the output, and
   * the command is refused unless a statement is denied (probe 22b F5: the denial is the answer).
   */
  private Session rewrite(ScriptSource source, Guard guard, Session session, Sink sink, boolean printed,
      TextCheckReport denials, PrintWriter err, Tally total) {
    Session[] current = {session};
    source.forEachPieceAhead(System.in, piece -> piece, piece -> {
      // what the masks of every report would hide: secret values, a location's user info or a key's
      // shape anywhere (a comment holding https://user:password@host too: probe 21d F12)
      if (printed && heldSecrets == null && (!SecretSpans.find(piece.source()).isEmpty()
          || !SecretSpans.mask(piece.source(), "***").equals(piece.source()))) {
        // nothing more is spooled; the rest is still decided, as a denial is told first (exit 1)
        heldSecrets = source.name();
      }
      Decision decision = guard.inspect(piece, current[0]);
      current[0] = decision.sessionAfter();
      total.statements += piece.statementCount();
      for (StatementDecision statement : decision.inspectedStatements()) {
        total.count(statement.verdict());
        if (statement.verdict() == Verdict.DENY) {
          denials.statement(checked(source.name(), statement), err, null);
        }
      }
      if (total.denied == 0 && heldSecrets == null) {
        sink.piece(piece, decision);
      }
    });
    return current[0];
  }

  private static CheckedStatement checked(String file, StatementDecision statement) {
    return CheckedStatement.of(file, statement);
  }

  private static Path temporaryFile() {
    try {
      Path file = Files.createTempFile("iamguard-rewrite", ".sql");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new CliException("cannot create a temporary file for the rewritten scripts: " + e.getMessage());
    }
  }

  private static void copy(Path spool, PrintWriter out) {
    try (Reader in = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
      in.transferTo(out);
      out.flush();
      Inputs.checkOutput(out);
    } catch (IOException e) {
      throw new CliException("cannot print the rewritten scripts: " + e.getMessage());
    } finally {
      AtomicFile.delete(spool);
    }
  }

  /** Where a rewritten piece goes. */
  private interface Sink {
    void piece(SqlScript piece, Decision decision);

    void finish();

    boolean changed();
  }

  /** The rewritten text itself. */
  private static final class TextSink implements Sink {
    private final Writer out;
    private boolean changed;

    TextSink(Writer out) {
      this.out = out;
    }

    @Override
    public void piece(SqlScript piece, Decision decision) {
      String sql = decision.sql();
      changed |= sql != piece.source() && !sql.equals(piece.source());
      Output.append(out, sql);
    }

    @Override
    public void finish() {}

    @Override
    public boolean changed() {
      return changed;
    }
  }

  /** A unified diff of the file and its rewrite. */
  private static final class DiffSink implements Sink {
    private final UnifiedDiff diff;

    DiffSink(UnifiedDiff diff) {
      this.diff = diff;
    }

    @Override
    public void piece(SqlScript piece, Decision decision) {
      String source = piece.source();
      int at = 0;
      for (StatementDecision statement : decision.inspectedStatements()) {
        if (statement.verdict() != Verdict.REWRITE || !statement.statement().rewritable()) {
          continue;
        }
        String before = statement.statement().text();
        String after = statement.sql();
        int same = 0;
        int limit = Math.min(before.length(), after.length());
        while (same < limit && before.charAt(same) == after.charAt(same)) {
          same++;
        }
        int tail = 0;
        while (tail < limit - same
            && before.charAt(before.length() - 1 - tail) == after.charAt(after.length() - 1 - tail)) {
          tail++;
        }
        diff.same(source.subSequence(at, statement.statement().start() + same));
        diff.changed(before.substring(same, before.length() - tail), after.substring(same, after.length() - tail));
        at = statement.statement().end() - tail;
      }
      diff.same(source.subSequence(at, source.length()));
    }

    @Override
    public void finish() {
      diff.finish();
    }

    @Override
    public boolean changed() {
      return diff.changed();
    }
  }

  /**
   * Each file once, at its first place: a file named twice, or named and reached through a folder
   * or a link, is one file to rewrite (two diffs of it made a patch that {@code patch} refused at
   * the second). Standard input and files that cannot be resolved are kept as given.
   */
  private static List<ScriptSource> onceEach(List<ScriptSource> sources) {
    java.util.Set<Path> seen = new java.util.HashSet<>();
    List<ScriptSource> once = new ArrayList<>(sources.size());
    for (ScriptSource source : sources) {
      Path real = null;
      if (!source.isStdin()) {
        try {
          real = source.file().toRealPath();
        } catch (java.io.IOException e) {
          real = null; // reading it says why
        }
      }
      if (real == null || seen.add(real)) {
        once.add(source);
      }
    }
    return once;
  }

  /**
   * A folder is read through its links (a linked subfolder's scripts are checked too), but
   * {@code --in-place} writes only inside the folders it is given: a script a linked subfolder leads
   * to outside one is refused before anything is written (named on its own, it is rewritten). A
   * script that is itself a link in the folder names its file as before: that file is rewritten.
   */
  private static void refuseLinksOut(List<String> paths) {
    for (String path : paths) {
      Path folder = Path.of(path);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try {
        Path inside = folder.toRealPath();
        for (Path file : ScriptSource.sqlFiles(folder)) {
          Path real = file.toAbsolutePath().getParent().toRealPath();
          if (!real.startsWith(inside)) {
            throw new CliException("--in-place rewrites the scripts inside the folders it is given: " + file
                + " lies in a folder a symbolic link leads to out of " + path + " (" + real + "); name it on its own"
                + " to rewrite it; nothing was written");
          }
        }
      } catch (java.io.IOException e) {
        throw new CliException(path + ": cannot read the folder: " + e.getMessage());
      }
    }
  }
}
