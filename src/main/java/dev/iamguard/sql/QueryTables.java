package dev.iamguard.sql;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one bridge to JSqlParser: lists the tables an embedded query reads (UNLOAD's query, CREATE
 * MODEL's FROM query). Only reports ({@code explain}) ask, never a decision: the guard does not
 * wait for it.
 *
 * <p>Results are cached by query text, because ETL jobs send the same UNLOAD again and again and a
 * parse costs 0.2-1 ms. JSqlParser's "complex parsing" backtracks, in time exponential in the
 * nesting of parentheses (depth 10: seconds; 13: half a minute; 16: hours), so it is bounded three
 * ways, each falling back to "tables unknown" (an empty list): a query longer than
 * {@link #MAX_QUERY_LENGTH} or nested deeper than {@link #MAX_NESTING} is not parsed; complex
 * parsing is only tried, after the simple parse fails, up to {@link #MAX_COMPLEX_NESTING}; and
 * every parse runs on a worker of its own with a budget of {@link #BUDGET_MILLIS} ms, after which
 * it is told to stop (JSqlParser's {@code interrupted} flag) and abandoned. Any JSqlParser failure,
 * a stack overflow included, also yields an empty list.
 *
 * <p>JSqlParser is an optional dependency: the driver never needs it, and an application without
 * it gets "tables unknown" (an empty list) here. Only {@link JSqlParserTables} names its classes,
 * and it is loaded only when JSqlParser is on the classpath.
 */
final class QueryTables {
  static final int MAX_QUERY_LENGTH = 64 * 1024;
  /** Parentheses nested deeper than this: not parsed at all. */
  static final int MAX_NESTING = 32;
  /** Complex parsing only this shallow (JSqlParser 5.3: about 0.15 s at depth 6, 0.8 s at 8). */
  static final int MAX_COMPLEX_NESTING = 6;
  /** The most a parse may take before it is abandoned. */
  static final long BUDGET_MILLIS = 250;
  /** The tables of queries read before (explain lists them per statement; a job repeats its queries). */
  private static final TextCache<List<String>> CACHE = new TextCache<>(2048, 1024 * 1024, 16 * 1024);
  /** Whether JSqlParser can be loaded; asked once, when the first embedded query's tables are. */
  private static final boolean JSQLPARSER = present("net.sf.jsqlparser.parser.CCJSqlParserUtil");
  /**
   * At most two parses at once, on daemon threads: a parse that ignores its stop order keeps its
   * worker busy, and further requests are refused (tables unknown) rather than queued.
   */
  private static final ThreadPoolExecutor WORKERS = new ThreadPoolExecutor(0, 2, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "iamguard-query-tables");
        thread.setDaemon(true);
        return thread;
      });

  private QueryTables() {}

  /**
   * The tables {@code query} reads, in the order JSqlParser lists them; empty when it cannot tell
   * or is not on the classpath.
   */
  static List<String> reads(String query) {
    return reads(query, BUDGET_MILLIS);
  }

  /**
   * {@link #reads(String)} with a parse budget of its own. An answer that ran out of budget, or
   * found no free worker, is not remembered: on a loaded machine it says nothing of the query.
   */
  static List<String> reads(String query, long budgetMillis) {
    List<String> cached = CACHE.get(query);
    if (cached != null) {
      return cached;
    }
    List<String> tables = parse(query, budgetMillis);
    if (tables == NOT_NOW) {
      return List.of();
    }
    CACHE.put(query, tables);
    return tables;
  }

  /** What a parse says when it ran out of budget or found no free worker (compared by identity). */
  private static final List<String> NOT_NOW = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(0));

  private static List<String> parse(String query, long budgetMillis) {
    if (!JSQLPARSER || query.length() > MAX_QUERY_LENGTH) {
      return List.of();
    }
    int nesting = nesting(query);
    if (nesting > MAX_NESTING || !Warm.UP) {
      return List.of();
    }
    List<String> tables = parse(query, false, budgetMillis);
    if (tables == null && nesting <= MAX_COMPLEX_NESTING) {
      tables = parse(query, true, budgetMillis);
    }
    return tables == null ? List.of() : tables; // NOT_NOW stays itself
  }

  /**
   * The tables; null when JSqlParser fails; {@link #NOT_NOW} when the parse runs out of budget, no
   * worker is free, or the caller is interrupted.
   */
  private static List<String> parse(String query, boolean complex, long budgetMillis) {
    if (budgetMillis <= 0) {
      return NOT_NOW; // no time at all: not even submitted, so the answer never depends on which thread ran first
    }
    JSqlParserTables parser;
    Future<List<String>> parsed;
    try {
      parser = new JSqlParserTables(query, complex);
      parsed = WORKERS.submit(parser);
    } catch (RejectedExecutionException busy) {
      return NOT_NOW;
    } catch (LinkageError broken) {
      return null; // a JSqlParser of another version, missing a class
    }
    try {
      return parsed.get(budgetMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      parser.stop();
      parsed.cancel(true);
      return NOT_NOW;
    } catch (ExecutionException failed) {
      return null; // a parse error, a stack overflow, a linkage error: tables unknown
    } catch (InterruptedException interrupted) {
      parser.stop();
      parsed.cancel(true);
      Thread.currentThread().interrupt();
      return NOT_NOW;
    }
  }

  /**
   * JSqlParser's classes loaded and initialised once, on the caller's thread and outside any
   * budget (a small fixed query): under load, a cold start alone can take longer than a budget
   * that is meant for the parse.
   */
  private static final class Warm {
    static final boolean UP = warmUp();

    private static boolean warmUp() {
      try {
        new JSqlParserTables("select a from t where (b = 1)", false).call();
      } catch (Exception | LinkageError | StackOverflowError ignored) {
        // a parse failure here changes nothing: the real parses are bounded and fall back anyway
      }
      return true;
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, QueryTables.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }

  /** How deeply parentheses nest in the query's code (not in its literals or comments). */
  static int nesting(String query) {
    Tokens tokens = Lexer.tokenize(query);
    int depth = 0;
    int max = 0;
    for (int i = 0; i < tokens.count(); i++) {
      if (tokens.kind(i) == TokenKind.LEFT_PAREN) {
        max = Math.max(max, ++depth);
      } else if (tokens.kind(i) == TokenKind.RIGHT_PAREN) {
        depth--;
      }
    }
    return max;
  }
}
