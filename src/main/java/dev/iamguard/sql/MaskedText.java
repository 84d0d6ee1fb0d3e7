package dev.iamguard.sql;

import java.lang.reflect.RecordComponent;

/**
 * A record of the parsed model as {@link Record#toString} would write it, with every secret
 * masked: a location may carry user info ({@code s3://KEY:SECRET@bucket/}), an option or a name a
 * key-shaped run, and these records reach users' logs through {@code GuardDeniedException.decision()}.
 * Only for {@code toString}, never on the path that decides.
 */
final class MaskedText {
  private MaskedText() {}

  static String of(Record record) {
    StringBuilder out = new StringBuilder(record.getClass().getSimpleName()).append('[');
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      Object value;
      try {
        value = components[i].getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        value = "?"; // a public record's public accessor: not expected
      }
      out.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=').append(value);
    }
    return SecretSpans.mask(out.append(']').toString(), "***");
  }
}
