package dev.iamguard.policy.iam;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation, as the IpAddress operators take it; an address
 * without a prefix length is the single address ("IAM uses the default prefix value of /32").
 * Only literal addresses are read: no text ever reaches a name lookup.
 */
record Cidr(int bits, BigInteger network, int prefix) {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  static Optional<Cidr> parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    Optional<byte[]> raw = address(address);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    int bits = raw.get().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = t.substring(slash + 1);
      if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(length);
    }
    return Optional.of(new Cidr(bits, mask(new BigInteger(1, raw.get()), bits, prefix), prefix));
  }

  private static Optional<byte[]> address(String text) {
    var v4 = IPV4.matcher(text);
    if (v4.matches()) {
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        int part = Integer.parseInt(v4.group(i + 1));
        if (part > 255) {
          return Optional.empty();
        }
        b[i] = (byte) part;
      }
      return Optional.of(b);
    }
    if (!IPV6.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      // a text with ':' is an IPv6 literal to InetAddress: parsed, never looked up
      return Optional.of(InetAddress.getByName("[" + text + "]").getAddress());
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static BigInteger mask(BigInteger value, int bits, int prefix) {
    return value.shiftRight(bits - prefix).shiftLeft(bits - prefix);
  }

  /** Whether {@code address} (a single address or range) lies inside this range. */
  boolean contains(Cidr address) {
    if (address.bits != bits || address.prefix < prefix) {
      return false;
    }
    return mask(address.network, bits, prefix).equals(network);
  }
}
