package dev.iamguard.policy.iam;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request context of one AWS request as the guard knows it: for each condition key, whether
 * the request carries it (with its values), surely does not carry it, or the guard cannot know.
 * Keys compare ignoring case, as IAM condition keys do. Every key not put in a context is
 * {@link Knowledge#UNKNOWN}: a condition on it is evaluated conservatively (it never grants and
 * always lets a Deny apply).
 */
public final class RequestContext {

  /** What the guard knows of one key. */
  public enum Knowledge {
    /** The request carries the key, with the values of {@link #values}. */
    PRESENT,
    /** The request surely does not carry the key (IAM: "not present in the request context"). */
    ABSENT,
    /** The guard cannot know whether or with which values the request carries it. */
    UNKNOWN
  }

  /** A context that knows nothing. */
  public static final RequestContext UNKNOWN_ALL = new RequestContext(Map.of());

  /** Lower-cased key to its values; an empty list means known absent. */
  private final Map<String, List<String>> known;

  private RequestContext(Map<String, List<String>> known) {
    this.known = known;
  }

  public static Builder builder() {
    return new Builder(Map.of());
  }

  /** A builder starting from this context's keys, to add or override some. */
  public Builder toBuilder() {
    return new Builder(known);
  }

  public Knowledge knowledge(String key) {
    List<String> values = known.get(key.toLowerCase(Locale.ROOT));
    if (values == null) {
      return Knowledge.UNKNOWN;
    }
    return values.isEmpty() ? Knowledge.ABSENT : Knowledge.PRESENT;
  }

  /** The key's values; empty unless it is {@link Knowledge#PRESENT}. */
  public List<String> values(String key) {
    List<String> values = known.get(key.toLowerCase(Locale.ROOT));
    return values == null ? List.of() : values;
  }

  /** The keys known present or absent, lower-cased. */
  public Set<String> knownKeys() {
    return known.keySet();
  }

  @Override
  public String toString() {
    return known.toString();
  }

  /** Builds a context; a later put of the same key replaces the earlier. */
  public static final class Builder {
    private final Map<String, List<String>> known;

    private Builder(Map<String, List<String>> from) {
      this.known = new HashMap<>(from);
    }

    /** The request carries {@code key} with these values (at least one). */
    public Builder put(String key, String... values) {
      return put(key, List.of(values));
    }

    /** The request carries {@code key} with these values; an empty list means {@link #absent}. */
    public Builder put(String key, List<String> values) {
      known.put(key.toLowerCase(Locale.ROOT), List.copyOf(values));
      return this;
    }

    /** The request surely does not carry {@code key}. */
    public Builder absent(String key) {
      known.put(key.toLowerCase(Locale.ROOT), List.of());
      return this;
    }

    /** Forgets {@code key}: it is unknown again. */
    public Builder unknown(String key) {
      known.remove(key.toLowerCase(Locale.ROOT));
      return this;
    }

    /** Adds every key {@code other} knows, replacing these keys here. */
    public Builder putAll(RequestContext other) {
      known.putAll(other.known);
      return this;
    }

    public RequestContext build() {
      return new RequestContext(Map.copyOf(known));
    }
  }
}
