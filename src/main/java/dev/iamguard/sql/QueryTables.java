package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The one bridge to JSqlParser: lists the tables an embedded query reads (UNLOAD's query, CREATE
 * MODEL's FROM query). Only the grammar of auth-carrying statements calls it, never the no-auth
 * path.
 *
 * <p>Results are cached by query text, because ETL jobs send the same UNLOAD again and again and a
 * parse costs 0.2-1 ms. Input is bounded in length and nesting depth, and any JSqlParser failure
 * (including a stack overflow on pathological input) yields an empty list: the tables read are
 * informational and never decide anything.
 */
final class QueryTables {
  static final int MAX_QUERY_LENGTH = 64 * 1024;
  static final int MAX_NESTING = 64;
  private static final int CACHE_LIMIT = 2048;
  private static final ConcurrentHashMap<String, List<String>> CACHE = new ConcurrentHashMap<>();

  private QueryTables() {}

  /** The tables {@code query} reads, in the order JSqlParser lists them; empty when it cannot tell. */
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
    if (query.length() > MAX_QUERY_LENGTH || nesting(query) > MAX_NESTING) {
      return List.of();
    }
    try {
      Statement statement = CCJSqlParserUtil.newParser(query).Statement();
      return List.copyOf(new ArrayList<>(new TablesNamesFinder<Void>().getTables(statement)));
    } catch (Exception | StackOverflowError failure) {
      return List.of();
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
