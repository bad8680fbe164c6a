package dev.scalelab.sweep.run;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.ExitCode;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.OutputFailedException;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run pool with thread workers: claims, shards, and failure accounting over one folder. */
class RunPoolTest {
    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    private final List<RunPool.Summary> summaries = new ArrayList<>();

    /** A unit that counts its tries, takes a little time, then writes its result or throws {@code error}. */
    private record TestUnit(String id, Path dir, Map<String, AtomicInteger> tries, RuntimeException error) implements Unit {
        @Override
        public boolean finished() {
            return Files.isRegularFile(dir.resolve("result.json"));
        }

        @Override
        public Outcome run() throws IOException {
            tries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
            Files.writeString(dir.resolve("result.json"), "{}");
            return Outcome.completed("completed " + id);
        }
    }

    private List<TestUnit> units(int n, Map<Integer, RuntimeException> errors) {
        List<TestUnit> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "u" + i;
            out.add(new TestUnit(id, dir.resolve("runs").resolve(id), tries, errors.get(i)));
        }
        return out;
    }

    private int pool(int jobs, Shard shard, Instant started, List<TestUnit> units) throws Exception {
        RunPool.Options o = new RunPool.Options(jobs, shard, Duration.ofMinutes(5), new RunPool.Threads(), started);
        return RunPool.run(o, () -> units, new RunPool.Listener<>() {
            @Override
            public void onFinished(RunPool.Summary s) {
                synchronized (summaries) {
                    summaries.add(s);
                }
            }
        });
    }

    /** Two pools on one folder at once, the second's shard overlapping the first's. */
    private void twoPools(List<TestUnit> units, Instant started) throws Exception {
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> f = List.of(both.submit(() -> pool(3, new Shard(1, 2), started, units)),
                    both.submit(() -> pool(2, Shard.ALL, started, units)));
            for (Future<Integer> x : f) {
                assertThat(x.get()).isZero();
            }
        } finally {
            both.shutdown();
        }
    }

    private List<Path> leftoverClaims() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(RunLayout.CLAIM)).toList();
        }
    }

    @Test
    void twoPoolsWithOverlappingShardsRunEveryUnitExactlyOnce() throws Exception {
        List<TestUnit> units = units(24, Map.of());
        twoPools(units, Instant.now());
        for (TestUnit u : units) {
            assertThat(tries.get(u.id())).as(u.id()).hasValue(1);
            assertThat(u.dir().resolve("result.json")).exists();
        }
        assertThat(summaries).hasSize(2);
        assertThat(summaries.stream().mapToInt(RunPool.Summary::completed).sum()).isEqualTo(24);
        // the first pool saw its 12 units, the second all 24: each unit was trained by one, skipped by the other
        assertThat(summaries.stream().mapToInt(s -> s.completed() + s.skippedDone() + s.skippedClaimed()).sum())
                .isEqualTo(36);
        assertThat(leftoverClaims()).isEmpty();
    }

    @Test
    void aFailingUnitIsTriedOnceRecordedAndReportedOnceAsAnInputError() throws Exception {
        Instant started = Instant.now().minusSeconds(1);
        List<TestUnit> units = units(10, Map.of(4, new InvalidInputException("cfg.yaml", 3, "width", "is odd", "make it even")));
        // a shard of the pool fails the unit; then another worker of the same pool (same start) comes to it
        assertThatThrownBy(() -> pool(3, new Shard(1, 2), started, units)).isInstanceOfSatisfying(ScalelabException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
            assertThat(e.getMessage()).startsWith("1 run failed; " + units.get(4).dir() + ": cfg.yaml line 3")
                    .contains("failed.json");
        });
        assertThat(pool(2, Shard.ALL, started, units)).isZero();
        assertThat(tries.get("u4")).hasValue(1);
        assertThat(summaries.stream().map(RunPool.Summary::failed).toList()).containsExactly(1, 0);
        assertThat(summaries.get(1).skippedClaimed()).isEqualTo(1);
        assertThat(Json.mapper().readTree(units.get(4).dir().resolve(RunLayout.FAILED).toFile()).path("runId").asText())
                .isEqualTo("u4");
        for (TestUnit u : units) {
            if (!u.id().equals("u4")) {
                assertThat(tries.get(u.id())).as(u.id()).hasValue(1);
            }
        }
        assertThat(leftoverClaims()).isEmpty();

        // a pool started after the failure tries it again
        Thread.sleep(20);
        assertThatThrownBy(() -> pool(2, Shard.ALL, Instant.now(), units)).isInstanceOf(ScalelabException.class);
        assertThat(tries.get("u4")).hasValue(2);
        assertThat(tries.get("u0")).hasValue(1);
    }

    @Test
    void anInternalErrorAmongInputErrorsIsExitOne() {
        List<TestUnit> units = units(4, Map.of(1, new InvalidInputException("a.csv", 1, null, "bad", null),
                2, new IllegalStateException("a bug")));
        assertThatThrownBy(() -> pool(2, Shard.ALL, Instant.now(), units))
                .isInstanceOfSatisfying(ScalelabException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.INTERNAL_ERROR);
                    assertThat(e.getMessage()).startsWith("2 runs failed; ");
                });
        assertThat(summaries).singleElement().satisfies(s -> assertThat(List.of(s.completed(), s.failed())).containsExactly(2, 2));
        assertThat(units.get(1).dir().resolve(RunLayout.FAILED)).exists();
        assertThat(units.get(2).dir().resolve(RunLayout.FAILED)).exists();
    }

    @Test
    void anOutputThatCannotBeWrittenStopsThePoolAtOnce() {
        OutputFailedException full = new OutputFailedException("cannot write runs/u1/result.json: disk full", null);
        List<TestUnit> units = units(6, Map.of(1, full));
        assertThatThrownBy(() -> pool(1, Shard.ALL, Instant.now(), units)).isSameAs(full);
        assertThat(tries.keySet()).isEqualTo(Set.of("u0", "u1"));
        assertThat(units.get(1).dir().resolve(RunLayout.CLAIM)).doesNotExist();
    }

    @Test
    void aShardIsEveryNthRunFromTheKth() {
        assertThat(new Shard(2, 3).of(List.of(0, 1, 2, 3, 4, 5, 6))).containsExactly(1, 4);
        assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
        assertThat(Shard.parse(null)).isEqualTo(Shard.ALL);
        assertThatThrownBy(() -> Shard.parse("0/2")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cannot read shard '0/2'");
    }
}
