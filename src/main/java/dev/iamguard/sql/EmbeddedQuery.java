package dev.iamguard.sql;

import java.util.List;

/**
 * A query written inside another statement: UNLOAD's quoted query, CREATE MODEL's FROM query.
 *
 * @param text the query text, unescaped
 * @param span where it is written (the literal or the parenthesised group)
 * @param reads the tables it reads, as JSqlParser names them; empty when JSqlParser cannot parse it
 */
public record EmbeddedQuery(String text, Span span, List<String> reads) {
  public EmbeddedQuery {
    reads = List.copyOf(reads);
  }
}
