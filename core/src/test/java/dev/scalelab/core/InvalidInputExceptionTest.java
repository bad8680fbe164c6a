package dev.scalelab.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidInputExceptionTest {
    @Test
    void formatsWhereThenWhatThenFix() {
        assertThat(new InvalidInputException("sweep.yaml", 12, "model.heads", "3 does not divide dModel 64",
                "use 1, 2, 4, 8, 16, 32 or 64 heads").getMessage())
                .isEqualTo("sweep.yaml line 12, field \"model.heads\": 3 does not divide dModel 64; use 1, 2, 4, 8, 16, 32 or 64 heads");
        assertThat(new InvalidInputException("a.csv", 0, null, "empty", null).getMessage()).isEqualTo("a.csv: empty");
        assertThat(new InvalidInputException((String) null, 0, "x", "bad", "  ").getMessage()).isEqualTo("field \"x\": bad");
        InvalidInputException e = new InvalidInputException("f", 3, "loss", "p", "fix");
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(e.exitCode().code()).isEqualTo(3);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.field()).isEqualTo("loss");
        assertThat(e.source()).isEqualTo("f");
    }

    @Test
    void exitCodesAreTheDocumentedNumbers() {
        assertThat(ExitCode.OK.code()).isZero();
        assertThat(ExitCode.INTERNAL_ERROR.code()).isEqualTo(1);
        assertThat(ExitCode.USAGE.code()).isEqualTo(2);
        assertThat(ExitCode.INVALID_INPUT.code()).isEqualTo(3);
        assertThat(ExitCode.NO_USABLE_FIT.code()).isEqualTo(4);
        assertThat(ExitCode.RUN_DIVERGED.code()).isEqualTo(5);
        assertThat(new NoUsableFitException("2 points").exitCode().code()).isEqualTo(4);
    }
}
