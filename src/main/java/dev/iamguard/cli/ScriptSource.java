package dev.iamguard.cli;

import dev.iamguard.sql.ScriptReader;
import dev.iamguard.sql.SqlScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One script to read piece by piece ({@link ScriptReader}), with the name reports give it: a file
 * or standard input. Nothing is read until {@link #forEachPiece}, so a script of any size is
 * processed in memory bounded by its largest statement.
 *
 * @param name the path as the user gave it (folders expanded, {@code /} as separator), or {@code -}
 * @param file the file, or null for standard input
 * @param size the file's size in bytes (-1 for standard input)
 */
record ScriptSource(String name, Path file, long size) {
  private static final String STDIN = "-";
  /** Characters read at a time: a piece of a script is about this long (tests make it small). */
  static volatile int chunk = ScriptReader.DEFAULT_CHUNK;
  /** Threads that parse the pieces of one script, whatever the number of cores (see {@link #forEachPieceAhead}). */
  static final int PARSERS = 2;

  /**
   * The scripts {@code paths} names: files, folders (their {@code *.sql} files of any case,
   * recursively, in sorted order) or {@code -} for standard input; no path means standard input.
   *
   * Anything else that can be read (a named pipe, a device, a shell's {@code <(command)}) is read
   * once, as it comes.
   *
   * @throws CliException when a path does not exist or a folder cannot be listed
   */
  static List<ScriptSource> list(List<String> paths) {
    List<ScriptSource> sources = new ArrayList<>();
    if (paths == null || paths.isEmpty()) {
      sources.add(stdin());
      return sources;
    }
    for (String path : paths) {
      if (path.equals(STDIN)) {
        sources.add(stdin());
        continue;
      }
      if (path.isEmpty()) {
        // Path.of("") is the current folder: an unset "$DIR" in a job checked (or ran) everything under it
        throw new CliException("an empty PATH argument: name a file or folder, or . for the current folder"
            + " (is a variable unset?)");
      }
      Path p;
      try {
        p = Path.of(path);
      } catch (java.nio.file.InvalidPathException e) {
        // a name the platform's file-name encoding cannot hold (non-ASCII in the C locale)
        throw new CliException(path + ": not a file name this system can encode (" + e.getReason() + "); "
            + "with non-ASCII names, run in a UTF-8 locale (LANG=C.UTF-8)");
      }
      if (Files.isDirectory(p)) {
        for (Path file : sqlFiles(p)) {
          sources.add(of(file));
        }
      } else if (Files.isRegularFile(p)) {
        sources.add(of(p));
      } else if (Files.exists(p)) {
        // a named pipe, a device, /dev/stdin, a shell's <(command): read once, as it comes, in its turn
        sources.add(new ScriptSource(p.toString().replace(java.io.File.separatorChar, '/'), p, -1));
      } else if (Files.isSymbolicLink(p)) {
        throw new CliException(path + ": a symbolic link whose target does not exist (or links that form a loop)");
      } else {
        throw new CliException(path + ": no such file or folder");
      }
    }
    return sources;
  }

  static ScriptSource stdin() {
    return new ScriptSource(STDIN, null, -1);
  }

  private static ScriptSource of(Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      size = -1;
    }
    return new ScriptSource(file.toString().replace(java.io.File.separatorChar, '/'), file, size);
  }

  /** True for a SQL script's name: {@code .sql} in any case ({@code LOAD.SQL}). */
  static boolean isSqlFile(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql");
  }

  /**
   * The {@code *.sql} files of {@code folder} and its subfolders, in sorted order, through symbolic
   * links (a linked subfolder's scripts are scripts of the folder: skipping them would pass a check
   * gate that never read them), each file once. A link named {@code *.sql} whose target does not
   * exist, and links forming a loop, are errors, as when named on their own.
   */
  static List<Path> sqlFiles(Path folder) {
    List<Path> found = new ArrayList<>();
    try {
      walk(folder, new java.util.ArrayDeque<>(), new java.util.HashSet<>(), new java.util.HashSet<>(), found);
    } catch (IOException | UncheckedIOException e) {
      throw new CliException(folder + ": cannot list the folder: " + e.getMessage());
    }
    found.sort(null); // by whole path, as listed before (a.sql before a/b.sql)
    return found;
  }

  /**
   * Adds the scripts under {@code dir} to {@code found}, in sorted order, depth first. A folder
   * reached again through another link is read once ({@code folders}: links to it from every level
   * of a deep tree would otherwise be walked once per path, exponentially many); one that is its
   * own ancestor ({@code above}) is a loop.
   */
  private static void walk(Path dir, java.util.Deque<Path> above, java.util.Set<Path> folders, java.util.Set<Path> files,
      List<Path> found) throws IOException {
    Path real = dir.toRealPath();
    if (above.contains(real)) {
      throw new CliException(dir + ": a symbolic link back to a folder above it (links that form a loop)");
    }
    if (!folders.add(real)) {
      return;
    }
    List<Path> entries;
    try (Stream<Path> listing = Files.list(dir)) {
      entries = listing.sorted().toList();
    }
    above.push(real);
    for (Path entry : entries) {
      if ((Files.isDirectory(entry) || isSqlFile(entry)) && !nameIsText(entry)) {
        throw new CliException(entry + ": a name in this folder is not valid text in the platform's charset ("
            + System.getProperty("sun.jnu.encoding") + "), so it could not be reported or written back as it is on"
            + " disk: rename it, or run with a UTF-8 locale (LANG=C.UTF-8)");
      }
      if (Files.isDirectory(entry)) {
        walk(entry, above, folders, files, found);
      } else if (isSqlFile(entry)) {
        if (Files.isSymbolicLink(entry) && !Files.exists(entry)) {
          throw new CliException(entry + ": a symbolic link whose target does not exist (or links that form a loop)");
        }
        if (!Files.isRegularFile(entry)) {
          throw new CliException(entry + ": not a regular file (a named pipe, a device): name it on its own to read "
              + "it once, as it comes");
        }
        if (files.add(entry.toRealPath())) {
          found.add(entry);
        }
      }
    }
    above.pop();
  }

  /**
   * Whether the name of {@code entry}, as listed, reads back to the same file: bytes the platform
   * charset cannot decode (a Latin-1 name under a UTF-8 locale, any non-ASCII name under LANG=C)
   * become U+FFFD in the text, and a report, a diff or a file written beside it would name another
   * file, or none.
   */
  private static boolean nameIsText(Path entry) {
    try {
      return entry.getFileSystem().getPath(entry.toString()).equals(entry);
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  boolean isStdin() {
    return file == null;
  }

  /**
   * Reads the script piece by piece and hands each piece to {@code action}, in order.
   *
   * @throws CliException when the script cannot be read or is not valid UTF-8
   */
  void forEachPiece(InputStream stdin, Consumer<SqlScript> action) {
    forEachPieceWhile(stdin, true, piece -> {
      action.accept(piece);
      return true;
    });
  }

  /**
   * As {@link #forEachPiece}, until {@code action} returns false; false when it did (the rest of the
   * script is not read). With {@code psql} the statements are read as psql sends them (what is
   * checked); without, as they are written (what {@code run} sends, the server then reading them).
   *
   * @throws CliException when the script cannot be read or is not valid UTF-8
   */
  boolean forEachPieceWhile(InputStream stdin, boolean psql, java.util.function.Predicate<SqlScript> action) {
    try (ScriptReader reader = new ScriptReader(open(stdin), chunk, psql)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        if (!action.test(piece)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw readError(e);
    }
  }

  /**
   * Whether the script can be read again as it was: a regular file (standard input, a named pipe
   * or a device is read once, as it comes).
   */
  boolean rereadable() {
    return file != null && Files.isRegularFile(file);
  }

  /**
   * As {@link #forEachPiece}, in three stages on threads of their own: one thread reads and splits
   * the script, a pool of {@link #PARSERS} threads parses the pieces and {@code prepare}s them, and
   * {@code action} takes them in order on the calling thread; reading, parsing and deciding
   * overlap. At most {@code 2 * PARSERS} pieces wait in the queue: a parsed piece of short COPY
   * statements takes about 30 times its text, so a count that grew with the cores made the heap a
   * script needs grow with the machine (a 25 MB script checked in 64 MB on 2 cores ran out of
   * memory on 12). Two parsers keep up with the one thread that reads and splits.
   */
  <T> void forEachPieceAhead(InputStream stdin, Function<SqlScript, T> prepare, Consumer<T> action) {
    int threads = Math.max(1, Math.min(PARSERS, Runtime.getRuntime().availableProcessors()));
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2 * threads);
    ExecutorService parser = Executors.newFixedThreadPool(threads, task -> daemon(task, "iamguard-parse"));
    Object end = new Object();
    Thread reader = daemon(() -> {
      Object last = end;
      try (ScriptReader pieces = new ScriptReader(open(stdin), chunk, true)) {
        for (ScriptReader.Piece piece = pieces.nextPiece(); piece != null; piece = pieces.nextPiece()) {
          ScriptReader.Piece next = piece;
          queue.put(parser.submit(() -> prepare.apply(next.parse())));
        }
      } catch (InterruptedException e) {
        return; // the consumer gave up: nobody waits for the rest
      } catch (IOException e) {
        last = readError(e);
      } catch (RuntimeException | Error e) {
        last = e;
      }
      try {
        queue.put(last);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "iamguard-read");
    reader.start();
    try {
      while (true) {
        Object next = queue.take();
        if (next == end) {
          return;
        }
        if (next instanceof RuntimeException e) {
          throw e;
        }
        if (next instanceof Error e) {
          throw e;
        }
        @SuppressWarnings("unchecked")
        T prepared = (T) done((Future<?>) next);
        action.accept(prepared);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(name + ": interrupted");
    } finally {
      reader.interrupt();
      parser.shutdownNow();
    }
  }

  private static Object done(Future<?> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  private CliException readError(IOException e) {
    if (e instanceof Utf8Input.NotUtf8) {
      return new CliException(name + ": " + e.getMessage());
    }
    return new CliException(name + ": cannot read " + (isStdin() ? "standard input" : "the file") + ": "
        + why(e));
  }

  /**
   * What went wrong, in words: a file system error's message is often the bare path ("cannot read
   * the file: a.sql" said nothing of a file removed while a folder was checked).
   */
  static String why(IOException e) {
    if (e instanceof java.nio.file.FileSystemException failed && failed.getReason() == null) {
      if (e instanceof java.nio.file.NoSuchFileException) {
        return "no such file (removed while the command ran?)";
      }
      if (e instanceof java.nio.file.AccessDeniedException) {
        return "permission denied";
      }
      return e.getClass().getSimpleName();
    }
    return String.valueOf(e.getMessage());
  }

  /** Strict UTF-8: a malformed byte is an error, never a silent replacement character. */
  private Reader open(InputStream stdin) throws IOException {
    InputStream bytes = file == null ? new NonClosing(stdin) : Files.newInputStream(file);
    return new Utf8Input(bytes, dev.iamguard.sql.ScriptReader.DEFAULT_CHUNK);
  }

  /** Standard input stays open: it may be named twice ({@code -}) and belongs to the process. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
