package dev.iamguard.sql;

import java.util.List;

/**
 * A query written inside another statement: UNLOAD's quoted query, CREATE MODEL's FROM query.
 *
 * <p>The tables it reads are listed by JSqlParser only when someone asks ({@code explain}, audit):
 * no rule needs them, and a parse costs 0.2-1 ms, so the guard's decisions never wait for one.
 */
public final class EmbeddedQuery {
  private final Span span;
  /** The literal holding the query, unescaped only when the text is asked for. */
  private final String source;
  private final TokenKind literalKind;
  private volatile String text;
  private volatile List<String> reads;

  EmbeddedQuery(String text, Span span) {
    this.text = text;
    this.span = span;
    this.source = null;
    this.literalKind = null;
  }

  /** The query written as the literal token {@code [span)} of {@code source}. */
  EmbeddedQuery(String source, Span span, TokenKind literalKind) {
    this.span = span;
    this.source = source;
    this.literalKind = literalKind;
  }

  /** A query whose tables are already known (CREATE MODEL FROM table). */
  EmbeddedQuery(String text, Span span, List<String> reads) {
    this(text, span);
    this.reads = List.copyOf(reads);
  }

  /** The query text, unescaped. */
  public String text() {
    String query = text;
    if (query == null) {
      query = Literals.value(source, span.start(), span.end(), literalKind);
      text = query;
    }
    return query;
  }

  /** Where it is written (the literal or the parenthesised group). */
  public Span span() {
    return span;
  }

  /**
   * The tables it reads, as JSqlParser names them; empty when JSqlParser cannot parse it, or is
   * not on the classpath (an optional dependency: the CLI has it, a driver user adds it to get
   * tables listed).
   */
  public List<String> reads() {
    List<String> tables = reads;
    if (tables == null) {
      tables = QueryTables.reads(text());
      reads = tables;
    }
    return tables;
  }

  @Override
  public String toString() {
    return "EmbeddedQuery[" + span + "]";
  }
}
