package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The only class that names JSqlParser (an optional dependency): {@link QueryTables} calls it only
 * after finding JSqlParser on the classpath, so its absence never surfaces as a
 * NoClassDefFoundError.
 */
final class JSqlParserTables {
  private JSqlParserTables() {}

  /** The tables {@code query} reads, as JSqlParser names them; throws when it cannot parse it. */
  static List<String> reads(String query) throws Exception {
    Statement statement = CCJSqlParserUtil.newParser(query).Statement();
    return List.copyOf(new ArrayList<>(new TablesNamesFinder<Void>().getTables(statement)));
  }
}
