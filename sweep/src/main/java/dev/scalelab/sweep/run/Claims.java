package dev.scalelab.sweep.run;

import dev.scalelab.core.io.AtomicFiles;
import dev.scalelab.core.run.RunLayout;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Exclusive claims on runs, so that many processes (shards, hosts on a shared filesystem) can work
 * on one sweep folder and no run is trained twice. A claim is {@code runs/<id>/claim}, made by an
 * exclusive create (atomic on POSIX filesystems and NFSv3+), holding its owner; its modification
 * time is the heartbeat, touched every {@code heartbeat}. A claim whose heartbeat is older than the
 * timeout belongs to a dead process and is taken over: renamed aside atomically (one taker wins),
 * then claimed afresh.
 */
public final class Claims implements AutoCloseable {
    private final Duration timeout;
    private final String owner;
    private final Set<Path> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heart;

    public Claims(Duration heartbeat, Duration timeout) {
        this.timeout = timeout;
        this.owner = ProcessHandle.current().pid() + "@" + host();
        this.heart = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scalelab-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heart.scheduleAtFixedRate(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    public String owner() {
        return owner;
    }

    /** Claims the run folder; false when another live process holds it. */
    public boolean tryClaim(Path runDir) {
        Path claim = runDir.resolve(RunLayout.CLAIM);
        try {
            Files.createDirectories(runDir);
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    Files.createFile(claim);
                } catch (FileAlreadyExistsException taken) {
                    if (!isStale(claim) || !takeOver(claim)) {
                        return false;
                    }
                    continue;
                }
                try {
                    Files.writeString(claim, owner + "\n", StandardCharsets.UTF_8);
                } catch (IOException full) { // an empty claim would hold the run until it timed out
                    try {
                        Files.deleteIfExists(claim);
                    } catch (IOException alsoFailed) {
                        full.addSuppressed(alsoFailed);
                    }
                    throw full;
                }
                held.add(claim);
                return true;
            }
            return false;
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(claim, e);
        }
    }

    /**
     * True when the claim's heartbeat is older than the timeout, or when its owner was a process on
     * this host that is no longer alive (a killed sweep restarted on the same machine takes its runs
     * back at once instead of waiting out the timeout).
     */
    public boolean isStale(Path claim) {
        try {
            Instant beat = Files.getLastModifiedTime(claim).toInstant();
            if (Duration.between(beat, Instant.now()).compareTo(timeout) > 0) {
                return true;
            }
            return deadOwnerHere(Files.readString(claim, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean deadOwnerHere(String claimOwner) {
        int at = claimOwner.indexOf('@');
        if (at <= 0 || !claimOwner.substring(at + 1).equals(owner.substring(owner.indexOf('@') + 1))) {
            return false;
        }
        try {
            long pid = Long.parseLong(claimOwner.substring(0, at));
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Renames a stale claim aside; only one of several takers succeeds. */
    private boolean takeOver(Path claim) throws IOException {
        Path aside = claim.resolveSibling(RunLayout.CLAIM + ".stale." + owner.replace('@', '-') + "." + System.nanoTime());
        try {
            Files.move(claim, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | FileAlreadyExistsException e) {
            return true; // someone else moved it first: try to create
        } catch (AtomicMoveNotSupportedException e) {
            return false;
        }
        Files.deleteIfExists(aside);
        return true;
    }

    public void release(Path runDir) {
        Path claim = runDir.resolve(RunLayout.CLAIM);
        if (held.remove(claim)) {
            try {
                Files.deleteIfExists(claim);
            } catch (IOException e) {
                // it goes stale and is taken over
            }
        }
    }

    private void beat() {
        FileTime now = FileTime.from(Instant.now());
        for (Path claim : held) {
            try {
                Files.setLastModifiedTime(claim, now);
            } catch (IOException e) {
                held.remove(claim); // taken over or removed: no longer ours
            }
        }
    }

    /** Releases every claim still held (an interrupted sweep). */
    @Override
    public void close() {
        heart.shutdownNow();
        for (Path claim : Set.copyOf(held)) {
            release(claim.getParent());
        }
    }
}
