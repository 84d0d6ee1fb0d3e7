package dev.iamguard.local;

import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.S3Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs one UNLOAD: refuses a prefix that already has objects unless ALLOWOVERWRITE is given
 * (Redshift fails when it "finds files that it would possibly overwrite"), runs the query, writes
 * every part into a staging folder, and only when the query has been read to its end moves each
 * finished file to its key (atomically where the file system can) and then writes the manifest.
 * A failing query leaves neither half files nor a partial set behind.
 */
final class UnloadRunner {
  private final ObjectStore store;

  UnloadRunner(ObjectStore store) {
    this.store = store;
  }

  /** {@code SELECT [ALL | DISTINCT] TOP} outside every parenthesis of the query: the outer SELECT clause's TOP. */
  static boolean outerTop(String query) {
    dev.iamguard.sql.SqlTokens t = dev.iamguard.sql.SqlTokens.of(query);
    int depth = 0;
    for (int i = 0; i < t.count(); i++) {
      switch (t.kind(i)) {
        case LEFT_PAREN -> depth++;
        case RIGHT_PAREN -> depth--;
        case WORD -> {
          if (depth == 0 && t.isWord(i, "SELECT")) {
            int next = i + 1 < t.count() && (t.isWord(i + 1, "ALL") || t.isWord(i + 1, "DISTINCT")) ? i + 2 : i + 1;
            if (next < t.count() && t.isWord(next, "TOP")) {
              return true;
            }
          }
        }
        default -> { }
      }
    }
    return false;
  }

  LocalResult run(Connection connection, RedshiftCommand command) throws SQLException {
    UnloadOptions options = UnloadOptions.of(command);
    if (options.parquet) {
      OptionalLibrary.PARQUET.require("UNLOAD", "FORMAT AS PARQUET");
    }
    if (command.query() == null) {
      throw SqlStates.invalidOption("UNLOAD needs a quoted query: UNLOAD ('select ...') TO 's3://bucket/prefix'");
    }
    if (dev.iamguard.sql.SqlScript.parse(command.query().text()).statements().size() > 1) {
      // H2 would run each statement of the text, none of them checked; Redshift takes one SELECT
      throw new SQLException("UNLOAD takes one SELECT statement: its quoted query holds more than one (a ';'"
          + " between statements); nothing was run", SqlStates.SYNTAX_ERROR);
    }
    if (outerTop(command.query().text())) {
      // H2 runs it; Redshift refuses it ("TOP isn't supported in the SELECT clause. Use LIMIT instead.")
      throw new SQLException("UNLOAD's query cannot use TOP in its SELECT clause; use LIMIT instead: "
          + "select ... limit 10; nothing was run", SqlStates.NOT_EMULATED);
    }
    S3Uri prefix = S3Uri.parse(command.resources().s3().stream()
        .filter(s -> s.purpose() == S3Location.Purpose.UNLOAD_TARGET).map(S3Location::uri).findFirst()
        .orElseThrow(() -> SqlStates.invalidOption("UNLOAD needs a TO 's3://bucket/prefix' target")));
    // fails early on a key no file can have, or a prefix folder reached through a link
    store.pathToWrite(prefix.withKey(prefix.key() + "manifest"));
    refuseObjectsUnlessOverwriting(options, prefix);
    Path staging = null;
    try {
      staging = store.newStagingFolder();
      return unload(connection, command, options, prefix, staging);
    } catch (IOException e) {
      throw SqlStates.io("UNLOAD to " + prefix + " failed writing the local S3 folder " + store.root() + ": "
          + e.getMessage(), e);
    } finally {
      deleteQuietly(staging);
    }
  }

  /**
   * Without ALLOWOVERWRITE, refuses a prefix that has objects. Asked before the query runs, and
   * again just before publishing, while no other UNLOAD of this JVM publishes to the folder: an
   * UNLOAD to the same prefix that finished meanwhile (two connections unloading at once) would
   * otherwise have its objects replaced by one that never said ALLOWOVERWRITE.
   */
  private void refuseObjectsUnlessOverwriting(UnloadOptions options, S3Uri prefix) throws SQLException {
    if (!options.allowOverwrite && !store.list(prefix).isEmpty()) {
      throw new SQLException("Specified unload destination on S3 is not empty: objects with prefix " + prefix
          + " already exist (local S3 folder " + store.root() + "). Consider using a different bucket / prefix,"
          + " removing the files, or using the ALLOWOVERWRITE option.", SqlStates.TARGET_NOT_EMPTY);
    }
  }

  private LocalResult unload(Connection connection, RedshiftCommand command, UnloadOptions options, S3Uri prefix,
      Path staging) throws SQLException, IOException {
    long rows = 0;
    List<PartWriter.Part> parts;
    List<ManifestWriter.Entry> entries = new ArrayList<>();
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery(command.query().text())) {
      ResultSetMetaData md = rs.getMetaData();
      if (options.parquet) {
        String name = (options.parallel ? "0000_part_00" : "000") + "." + (options.extension != null
            ? options.extension : "parquet");
        rows = parquet(rs, md, staging.resolve(name));
        parts = List.of(new PartWriter.Part(name, staging.resolve(name), rows));
      } else {
        RowFormatter formatter = new RowFormatter(md, options);
        try (PartWriter writer = new PartWriter(staging, options, options.header ? formatter.header(md) : null)) {
          while (rs.next()) {
            writer.write(formatter.row(rs));
            rows++;
          }
          parts = writer.finish();
        }
      }
      // every target is checked before the first is published: a refused one leaves no partial set
      List<Path> targets = new ArrayList<>();
      for (PartWriter.Part part : parts) {
        S3Uri key = prefix.withKey(prefix.key() + part.name());
        entries.add(new ManifestWriter.Entry(key.toString(), Files.size(part.staged()), part.records()));
        targets.add(store.pathToWrite(key));
      }
      Path manifestTarget = options.manifest ? store.pathToWrite(prefix.withKey(prefix.key() + "manifest")) : null;
      List<Path> staged = new ArrayList<>();
      for (PartWriter.Part part : parts) {
        staged.add(part.staged());
      }
      if (options.manifest) {
        Path manifest = staging.resolve("manifest");
        Files.writeString(manifest, ManifestWriter.write(entries, md, options.verbose), StandardCharsets.UTF_8);
        staged.add(manifest);
        targets.add(manifestTarget);
      }
      // one UNLOAD publishes at a time (per folder, in this JVM): the emptiness asked above holds
      // while the files move, and two sets replacing each other never mix, nor does one's rollback
      // put old files over the other's
      synchronized (store.publishLock()) {
        refuseObjectsUnlessOverwriting(options, prefix);
        publishAll(staged, targets, staging);
      }
    }
    return new LocalResult(rows, "unloaded " + rows + " row(s) to " + parts.size() + " file(s) at " + prefix
        + (options.manifest ? " with manifest " + prefix + "manifest" : ""));
  }

  /** One Parquet file: the class that writes it is only touched once Parquet was found. */
  private static long parquet(ResultSet rs, ResultSetMetaData md, Path file) throws SQLException, IOException {
    try {
      return ParquetPart.write(rs, md, file);
    } catch (LinkageError e) {
      throw OptionalLibrary.PARQUET.missing("UNLOAD", "FORMAT AS PARQUET", e);
    }
  }

  /**
   * Publishes every staged file, or none: a target that is a folder locally (objects under its key,
   * which S3 allows beside it) is refused before anything moves, and a failure part-way puts back
   * the files already replaced, so a failed UNLOAD never leaves a set of old and new parts. An
   * object replaced is kept as a second link to its file (a copy where links cannot be made) and
   * the new file is renamed over it, so its key names the old object or the new one at every
   * instant, as an S3 overwrite does: moving the old file away first left the key with no object
   * for a moment, in which a COPY of the prefix failed or loaded the set without it.
   */
  private static void publishAll(List<Path> staged, List<Path> targets, Path staging) throws IOException {
    for (Path target : targets) {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("the file " + target + " of a key UNLOAD writes is a folder of other objects"
            + " locally; nothing was written");
      }
    }
    List<Path[]> published = new ArrayList<>(); // {target, kept copy of what it replaced or null}
    try {
      for (int i = 0; i < staged.size(); i++) {
        Path target = targets.get(i);
        Path kept = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          kept = staging.resolve("previous-" + i);
          keep(target, kept);
        }
        publish(staged.get(i), target);
        published.add(new Path[] {target, kept});
      }
    } catch (IOException | RuntimeException e) {
      for (Path[] done : published) {
        if (done[1] == null) {
          Files.deleteIfExists(done[0]);
        } else {
          publish(done[1], done[0]);
        }
      }
      throw e;
    }
  }

  /** A second name {@code kept} for the file {@code target} names (a copy where links cannot be made). */
  private static void keep(Path target, Path kept) throws IOException {
    try {
      Files.createLink(kept, target);
    } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
      Files.copy(target, kept, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static void publish(Path staged, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path folder) {
    if (folder == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a left-over staging folder holds no keys and is cleaned up with the local S3 folder
    }
  }
}
