package dev.scalelab.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every malformed input under src/test/resources/bad/ (configs, observation and evaluation tables,
 * fit cards, grokking configs), listed in its index.tsv with the command that reads it: each must
 * end in the documented exit code with one line on stderr that names the file and what is wrong,
 * never a stack trace, and write nothing to stdout.
 */
class BadInputCorpusTest {
    private static Path dir() {
        try {
            return Path.of(BadInputCorpusTest.class.getResource("/bad/index.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    List<DynamicTest> everyMalformedInputGetsAOneLineError() throws Exception {
        Path dir = dir();
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("index.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            Path file = dir.resolve(f[0]);
            List<String> args = new ArrayList<>();
            for (String a : f[1].split(" ")) {
                args.add(a.equals("{}") ? file.toString() : a);
            }
            int expected = Integer.parseInt(f[2]);
            String mention = f.length > 3 ? f[3] : "";
            tests.add(DynamicTest.dynamicTest(f[0], () -> {
                Cli.Result r = Cli.run(args.toArray(String[]::new));
                assertThat(r.code()).as("exit code of %s; stderr: %s", args, r.err()).isEqualTo(expected);
                assertThat(r.out()).as("stdout").isEmpty();
                assertThat(r.err()).as("stderr").startsWith("scalelab: error: ").hasLineCount(1)
                        .contains(f[0]).doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(r.err().toLowerCase(Locale.ROOT)).as("stderr").contains(mention.toLowerCase(Locale.ROOT));
            }));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(50);
        return tests;
    }
}
