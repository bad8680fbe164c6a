package dev.scalelab.sweep.tensor;

import dev.scalelab.core.run.Precision;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --precision resolved against the instruction sets oneDNN reports on different CPUs. */
class PrecisionChoiceTest {
    private static Supplier<String> cpu(String isa) {
        return () -> isa;
    }

    private static final Supplier<String> NEVER = () -> {
        throw new AssertionError("fp32 must not ask oneDNN for the CPU");
    };

    @Test
    void autoIsBf16OnlyWhereTheCpuMultipliesBf16Natively() {
        assertEquals(Precision.BF16, PrecisionChoice.resolve("auto", cpu("avx512_core_amx")));
        assertEquals(Precision.BF16, PrecisionChoice.resolve("auto", cpu("avx512_core_bf16")));
        assertEquals(Precision.FP32, PrecisionChoice.resolve("auto", cpu("avx512_core")));
        assertEquals(Precision.FP32, PrecisionChoice.resolve("auto", cpu("avx2")));
    }

    @Test
    void fp32AndTheDefaultNeverLoadOneDnn() {
        assertEquals(Precision.FP32, PrecisionChoice.resolve("fp32", NEVER));
        assertEquals(Precision.FP32, PrecisionChoice.resolve(null, NEVER));
        assertEquals(Precision.FP32, PrecisionChoice.resolve(" FP32 ", NEVER));
    }

    @Test
    void bf16NeedsAvx512AndSaysWhatToUseInstead() {
        assertEquals(Precision.BF16, PrecisionChoice.resolve("bf16", cpu("avx512_core")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrecisionChoice.resolve("bf16", cpu("avx2")));
        assertTrue(e.getMessage().contains("avx2") && e.getMessage().contains("use fp32"), e.getMessage());
    }

    @Test
    void anUnknownValueListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrecisionChoice.resolve("fp16", NEVER));
        assertTrue(e.getMessage().contains(PrecisionChoice.VALUES), e.getMessage());
    }
}
