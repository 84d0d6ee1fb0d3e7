package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The only class that names JSqlParser (an optional dependency): {@link QueryTables} creates it
 * only after finding JSqlParser on the classpath, so its absence never surfaces as a
 * NoClassDefFoundError. One parse of one query, run on a worker and stoppable from outside.
 */
final class JSqlParserTables implements Callable<List<String>> {
  private final CCJSqlParser parser;

  /** A parse of {@code query}; {@code complex} allows JSqlParser's backtracking "complex parsing". */
  JSqlParserTables(String query, boolean complex) {
    this.parser = CCJSqlParserUtil.newParser(query).withAllowComplexParsing(complex);
  }

  /** The tables the query reads, as JSqlParser names them; throws when it cannot parse it. */
  @Override
  public List<String> call() throws Exception {
    Statement statement = parser.Statement();
    return List.copyOf(new ArrayList<>(new TablesNamesFinder<Void>().getTables(statement)));
  }

  /** Tells a running parse to stop: JSqlParser's own flag, checked where it backtracks. */
  void stop() {
    parser.interrupted = true;
  }
}
