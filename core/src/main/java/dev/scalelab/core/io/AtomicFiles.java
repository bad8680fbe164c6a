package dev.scalelab.core.io;

import dev.scalelab.core.OutputFailedException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every file scalelab writes goes through here: the bytes go to a temporary file in the same
 * folder, are flushed to disk, and the file is renamed over its final name in one atomic step.
 * A reader (or a crash) therefore sees either the old file, or no file, or the whole new one;
 * never a partial result under the final name.
 */
public final class AtomicFiles {
    /** Temporary files start with this prefix, so cleanup and listings can recognise them. */
    public static final String TEMP_PREFIX = ".scalelab-tmp-";

    private AtomicFiles() {
    }

    /** Something that writes the whole content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes {@code content} to {@code target} atomically, creating missing parent folders.
     * Failures (a full disk, a read-only folder) become an {@link OutputFailedException} (exit 3)
     * that names the file; the previous content of {@code target}, if any, is left untouched.
     */
    public static void write(Path target, Content content) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = dir.resolve(TEMP_PREFIX + absolute.getFileName() + "-" + ProcessHandle.current().pid()
                    + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new ChannelOutput(channel)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temp, absolute);
            temp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw cannotWrite(target, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The temporary name is recognisable by its prefix; nothing else to do.
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Same folder, so this only happens on exotic file systems; a plain replace is the best left.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable; not every platform lets a folder be opened, so best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Durability of the rename is a bonus; atomicity does not depend on it.
        }
    }

    /** The error for a file that could not be written: exit 3, the file and the reason in words. */
    public static OutputFailedException cannotWrite(Path target, IOException e) {
        return new OutputFailedException("cannot write " + target + ": " + describe(e) + "; earlier results are unchanged", e);
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (is the folder read-only?)";
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null
                ? fse.getReason() : e.getMessage();
        String lower = reason == null ? "" : reason.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("no space")) {
            return "the disk is full";
        }
        if (lower.contains("quota")) {
            return "the disk quota is exceeded";
        }
        if (lower.contains("read-only file system")) {
            return "the file system is read-only";
        }
        return reason == null ? e.getClass().getSimpleName() : reason;
    }

    /** An OutputStream over a FileChannel that writes whole buffers. */
    private static final class ChannelOutput extends OutputStream {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

        ChannelOutput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (!buffer.hasRemaining()) {
                    drain();
                }
                int n = Math.min(length, buffer.remaining());
                buffer.put(bytes, offset, n);
                offset += n;
                length -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
        }

        private void drain() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        @Override
        public void close() throws IOException {
            drain();
        }
    }
}
