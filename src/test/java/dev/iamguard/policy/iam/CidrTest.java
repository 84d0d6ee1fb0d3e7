package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The address ranges of IpAddress and NotIpAddress (IAM User Guide, "IP address condition
 * operators": an IPv4 or IPv6 address or CIDR range). A range contains an address, or a narrower
 * or equal range, of the same family whose first {@code prefix} bits are its own.
 */
class CidrTest {

  private static Cidr cidr(String text) {
    return Cidr.parse(text).orElseThrow(() -> new AssertionError("not a range: " + text));
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "10.0.0.0/24         | 10.0.0.7            | true",
      "10.0.0.0/24         | 10.0.1.7            | false",
      "10.0.0.0/24         | 10.0.0.0/24         | true",
      "10.0.0.0/24         | 10.0.0.128/25       | true",
      "10.0.0.0/25         | 10.0.0.0/24         | false",
      "10.0.0.5/32         | 10.0.0.5            | true",
      "10.0.0.5/32         | 10.0.0.6            | false",
      "10.0.0.5            | 10.0.0.5            | true",
      "0.0.0.0/0           | 255.255.255.255     | true",
      "255.255.255.255/32  | 255.255.255.255     | true",
      "10.0.0.0/8          | 2001:db8::1         | false",
      "2001:db8::/32       | 2001:DB8:0:1::9     | true",
      "2001:db8::/32       | 2001:db9::1         | false",
      "2001:db8::1/128     | 2001:db8::1         | true",
      "2001:db8::/32       | 10.0.0.1            | false",
      "::/0                | 10.0.0.1            | false",
  })
  void aRangeContainsTheAddressesOfItsPrefix(String range, String address, boolean contains) {
    assertThat(cidr(range).contains(cidr(address))).isEqualTo(contains);
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.0.0.1", "10.0.0.0/33", "2001:db8::/129", "/24", "10.0.0.0/", "10.0.0.0/-1",
      "10.0.0.0/1000", "example.com", "10.0.0", "::g", "1:2:3:4:5:6:7:8:9", ""})
  void whatIsNoRangeIsRefused(String text) {
    assertThat(Cidr.parse(text)).isEmpty();
  }
}
