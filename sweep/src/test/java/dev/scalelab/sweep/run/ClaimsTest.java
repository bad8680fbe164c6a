package dev.scalelab.sweep.run;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Exclusive claims on run folders: one holder at a time, stale ones taken over, heartbeats kept. */
class ClaimsTest {
    @TempDir
    Path dir;

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static void claimAs(Path run, String owner, Instant beat) throws IOException {
        Files.createDirectories(run);
        Path claim = run.resolve(RunLayout.CLAIM);
        Files.writeString(claim, owner + "\n");
        Files.setLastModifiedTime(claim, FileTime.from(beat));
    }

    private static String holder(Path run) throws IOException {
        return Files.readString(run.resolve(RunLayout.CLAIM)).trim();
    }

    private static long files(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.count();
        }
    }

    @Test
    void oneHolderAtATimeUntilReleased() throws IOException {
        Path run = dir.resolve("runs/abc");
        try (Claims first = new Claims(MINUTE, MINUTE); Claims second = new Claims(MINUTE, MINUTE)) {
            assertThat(first.tryClaim(run)).isTrue();
            assertThat(holder(run)).isEqualTo(first.owner()).matches("\\d+@.+");
            assertThat(second.tryClaim(run)).as("held by a live process").isFalse();
            assertThat(first.isStale(run.resolve(RunLayout.CLAIM))).isFalse();
            second.release(run); // not its claim: left alone
            assertThat(run.resolve(RunLayout.CLAIM)).exists();
            first.release(run);
            assertThat(run.resolve(RunLayout.CLAIM)).doesNotExist();
            assertThat(second.tryClaim(run)).isTrue();
        }
    }

    @Test
    void aClaimWhoseHeartbeatIsOlderThanTheTimeoutIsTakenOverAndOneOfAnotherHostIsNot() throws IOException {
        Path stale = dir.resolve("runs/stale");
        Path fresh = dir.resolve("runs/fresh");
        claimAs(stale, "4242@another-host", Instant.now().minus(Duration.ofMinutes(5)));
        claimAs(fresh, "4242@another-host", Instant.now());
        try (Claims claims = new Claims(MINUTE, MINUTE)) {
            assertThat(claims.isStale(stale.resolve(RunLayout.CLAIM))).isTrue();
            assertThat(claims.tryClaim(stale)).isTrue();
            assertThat(holder(stale)).isEqualTo(claims.owner());
            assertThat(files(stale)).as("nothing renamed aside is left").isEqualTo(1);
            // another host's process may be alive: its fresh claim holds until it times out
            assertThat(claims.isStale(fresh.resolve(RunLayout.CLAIM))).isFalse();
            assertThat(claims.tryClaim(fresh)).isFalse();
            assertThat(holder(fresh)).isEqualTo("4242@another-host");
        }
    }

    @Test
    void aFreshClaimOfADeadProcessOnThisHostIsTakenBackAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path run = dir.resolve("runs/killed");
        try (Claims claims = new Claims(MINUTE, Duration.ofHours(1))) {
            String host = claims.owner().substring(claims.owner().indexOf('@') + 1);
            claimAs(run, gone.pid() + "@" + host, Instant.now());
            assertThat(claims.tryClaim(run)).isTrue();
            assertThat(holder(run)).isEqualTo(claims.owner());
            Path alive = dir.resolve("runs/alive");
            claimAs(alive, ProcessHandle.current().pid() + "@" + host, Instant.now());
            assertThat(claims.tryClaim(alive)).isFalse();
        }
    }

    @Test
    void heldClaimsAreTouchedByTheHeartbeatAndReleasedOnClose() throws Exception {
        Path run = dir.resolve("runs/beating");
        Claims claims = new Claims(Duration.ofMillis(50), MINUTE);
        try {
            assertThat(claims.tryClaim(run)).isTrue();
            Instant old = Instant.now().minus(Duration.ofMinutes(30));
            Files.setLastModifiedTime(run.resolve(RunLayout.CLAIM), FileTime.from(old));
            long deadline = System.currentTimeMillis() + 5_000;
            while (Files.getLastModifiedTime(run.resolve(RunLayout.CLAIM)).toInstant().equals(old)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Instant beat = Files.getLastModifiedTime(run.resolve(RunLayout.CLAIM)).toInstant();
            assertThat(Duration.between(beat, Instant.now())).isLessThan(Duration.ofSeconds(10));
            assertThat(claims.isStale(run.resolve(RunLayout.CLAIM))).isFalse();
        } finally {
            claims.close();
        }
        assertThat(run.resolve(RunLayout.CLAIM)).doesNotExist();
    }
}
