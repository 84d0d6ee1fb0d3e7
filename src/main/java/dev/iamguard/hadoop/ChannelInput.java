package dev.iamguard.hadoop;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileSystem;

/**
 * An object's bytes read from a channel opened relative to its checked folder ({@link Anchored#read}),
 * seekable as Hadoop's readers (Parquet, Avro) need: the file opened is the one checked, never what
 * a link planted afterwards leads to.
 */
final class ChannelInput extends FSInputStream {
  private final SeekableByteChannel channel;
  private final FileSystem.Statistics statistics;

  ChannelInput(SeekableByteChannel channel, FileSystem.Statistics statistics) {
    this.channel = channel;
    this.statistics = statistics;
  }

  @Override
  public synchronized void seek(long position) throws IOException {
    if (position < 0) {
      throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK);
    }
    channel.position(position);
  }

  @Override
  public synchronized long getPos() throws IOException {
    return channel.position();
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    int read = read(one, 0, 1);
    return read < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int read = channel.read(ByteBuffer.wrap(bytes, offset, length));
    if (read > 0 && statistics != null) {
      statistics.incrementBytesRead(read);
    }
    return read;
  }

  @Override
  public synchronized int available() throws IOException {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, channel.size() - channel.position()));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
