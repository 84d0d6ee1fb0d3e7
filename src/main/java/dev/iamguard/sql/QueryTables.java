package dev.iamguard.sql;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one bridge to JSqlParser: lists the tables an embedded query reads (UNLOAD's query, CREATE
 * MODEL's FROM query). Only the grammar of auth-carrying statements calls it, never the no-auth
 * path.
 *
 * <p>Results are cached by query text, because ETL jobs send the same UNLOAD again and again and a
 * parse costs 0.2-1 ms. Input is bounded in length and nesting depth, and any JSqlParser failure
 * (including a stack overflow on pathological input) yields an empty list: the tables read are
 * informational and never decide anything.
 *
 * <p>JSqlParser is an optional dependency: the driver never needs it, and an application without
 * it gets "tables unknown" (an empty list) here. Only {@link JSqlParserTables} names its classes,
 * and it is loaded only when JSqlParser is on the classpath.
 */
final class QueryTables {
  static final int MAX_QUERY_LENGTH = 64 * 1024;
  static final int MAX_NESTING = 64;
  private static final int CACHE_LIMIT = 2048;
  private static final ConcurrentHashMap<String, List<String>> CACHE = new ConcurrentHashMap<>();
  /** Whether JSqlParser can be loaded; asked once, when the first embedded query's tables are. */
  private static final boolean JSQLPARSER = present("net.sf.jsqlparser.parser.CCJSqlParserUtil");

  private QueryTables() {}

  /**
   * The tables {@code query} reads, in the order JSqlParser lists them; empty when it cannot tell
   * or is not on the classpath.
   */
  static List<String> reads(String query) {
    List<String> cached = CACHE.get(query);
    if (cached != null) {
      return cached;
    }
    List<String> tables = parse(query);
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear(); // a crude bound: the working set of an ETL job is far below the limit
    }
    CACHE.put(query, tables);
    return tables;
  }

  private static List<String> parse(String query) {
    if (!JSQLPARSER || query.length() > MAX_QUERY_LENGTH || nesting(query) > MAX_NESTING) {
      return List.of();
    }
    try {
      return JSqlParserTables.reads(query);
    } catch (Exception | StackOverflowError | LinkageError failure) {
      return List.of(); // a LinkageError: a JSqlParser of another version, missing a class
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

  private static int nesting(String query) {
    int depth = 0;
    int max = 0;
    for (int p = 0; p < query.length(); p++) {
      char ch = query.charAt(p);
      if (ch == '(') {
        max = Math.max(max, ++depth);
      } else if (ch == ')') {
        depth--;
      }
    }
    return max;
  }
}
