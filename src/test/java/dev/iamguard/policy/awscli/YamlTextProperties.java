package dev.iamguard.policy.awscli;

import dev.iamguard.sql.ShortReadReader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** What import writes reads back as what it meant, whatever the strings hold. */
class YamlTextProperties {
  private static final Load LOAD = new Load(LoadSettings.builder().build());

  @Property(tries = 500)
  void anyStringReadsBackAsItself(@ForAll @StringLength(max = 40) String key, @ForAll @StringLength(max = 60) String value,
      @ForAll @StringLength(max = 30) String item) {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put(value, List.of(item, value));
    Map<String, Object> top = new LinkedHashMap<>();
    top.put(key, value);
    top.put("list", List.of(item, Map.of("k", value)));
    top.put("nested", nested);
    if (top.size() == 3) {
      assertThat(LOAD.loadFromReader(ShortReadReader.of(YamlText.write(top)))).isEqualTo(top);
    }
  }

  @Property(tries = 300)
  void jsonTextReadsBackAsItself(@ForAll @StringLength(max = 40) String key, @ForAll @StringLength(max = 60) String value) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put(key, List.of(value, Map.of("v", value), true, 12));
    assertThat(LOAD.loadFromReader(ShortReadReader.of(JsonText.write(document)))).isEqualTo(document);
  }

  @Property(tries = 200)
  void wordsTheRegistryUsesStayPlain(@ForAll("words") String word) {
    assertThat(YamlText.scalar(word)).isEqualTo(word);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> words() {
    return net.jqwik.api.Arbitraries.of("arn:aws:iam::123456789012:role/RoleA", "s3://acmedata/redshift/", "us-west-2",
        "group:etl", "PUBLIC", "COPY", "EXTERNAL FUNCTION", "iam/123456789012/RoleA/trust.json", "sts:ExternalId",
        "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1", "${aws:username}");
  }
}
