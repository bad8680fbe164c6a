package dev.scalelab.core.data;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObservationCsvTest {
    private final ObservationCsv reader = ObservationCsv.standard();

    private ObservationTable read(String text) {
        return reader.read(new StringReader(text), "runs.csv");
    }

    @Test
    void rowsOfDivergedRunsAreLeftOutWithTheirReasonWhateverTheirLoss() {
        ObservationTable table = read("params,tokens,loss,status\n1e6,1e8,3.0,COMPLETED\n2e6,1e8,NaN,DIVERGED\n"
                + "3e6,1e8,2.5,completed\n");
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.excluded()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.reason()).contains("DIVERGED");
        });
        assertThatThrownBy(() -> read("params,tokens,loss,status\n1e6,1e8,NaN,DIVERGED\n"))
                .hasMessageContaining("field \"status\"").hasMessageContaining("no row has status COMPLETED");
    }

    @Test
    void readsAllColumnsByTheirCanonicalNames() {
        ObservationTable table = read("""
                params,tokens,flops,loss,budget,run,step,group
                1e6,2e7,1.2e14,3.5,1e14,r1,100,mini
                2000000,4e7,4.8e14,3.1,,r2,,
                """);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.derivation()).isNull();
        Observation first = table.observations().get(0);
        assertThat(first).isEqualTo(new Observation(1e6, 2e7, 1.2e14, 3.5, 1e14, "r1", 100L, "mini"));
        Observation second = table.observations().get(1);
        assertThat(second.budget()).isNull();
        assertThat(second.step()).isNull();
        assertThat(second.group()).isNull();
        assertThat(second.run()).isEqualTo("r2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "N,D,C,L",
            "n_params,D_tokens,C_flops,loss",
            "N_params,tokens,compute,L",
            "PARAMS,Tokens,FLOPS,Loss"})
    void matchesHeaderAliasesCaseInsensitively(String header) {
        ObservationTable table = read(header + "\n10,20,1200,2.5\n");
        assertThat(table.observations()).containsExactly(Observation.of(10, 20, 1200, 2.5));
    }

    @Test
    void derivesFlopsAsSixNDWhenMissingAndSaysSo() {
        ObservationTable table = read("params,tokens,loss\n1e6,1e8,3.0\n");
        assertThat(table.observations().get(0).flops()).isEqualTo(6e14);
        assertThat(table.derivation()).isEqualTo("flops = 6·params·tokens (6N)");
    }

    @Test
    void derivesTokensFromFlopsWhenMissing() {
        ObservationTable table = read("params,flops,loss\n1e6,6e14,3.0\n");
        assertThat(table.observations().get(0).tokens()).isEqualTo(1e8);
        assertThat(table.derivation()).isEqualTo("tokens = flops / (6·params) (6N)");
    }

    @Test
    void derivationFactorIsAnOption() {
        ObservationTable table = reader.withFlopsPerParamToken(8).read(new StringReader("N,D,L\n2,3,1\n"), "x");
        assertThat(table.observations().get(0).flops()).isEqualTo(48.0);
        assertThat(table.derivation()).contains("8·params·tokens");
    }

    @Test
    void handlesBomCrlfQuotesAndExtraColumns(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("table.csv");
        String text = "\uFEFFparams,\"tokens\",loss,note\r\n\"1,000\",5,2.0,x\r\n";
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        // "1,000" is one quoted cell: not a number, and the message says where.
        assertThatThrownBy(() -> reader.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " line 2, field \"params\": \"1,000\" is not a number; write a plain number such as 1.5e9");
        Files.write(file, "\uFEFFparams,\"tokens\",loss,\"a, note\"\r\n1000,5,2.0,\"x, \"\"y\"\"\"\r\n\r\n2000,6,1.5,z\r\n"
                .getBytes(StandardCharsets.UTF_8));
        ObservationTable table = reader.read(file);
        assertThat(table.observations()).containsExactly(Observation.of(1000, 5, 30000, 2.0),
                Observation.of(2000, 6, 72000, 1.5));
        assertThat(table.source()).isEqualTo(file.toString());
    }

    @Test
    void rejectsAnEmptyFile() {
        assertThatThrownBy(() -> read(""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("runs.csv: the table is empty")
                .satisfies(e -> assertThat(((InvalidInputException) e).exitCode()).isEqualTo(ExitCode.INVALID_INPUT));
    }

    @Test
    void rejectsAHeaderWithoutRows() {
        assertThatThrownBy(() -> read("params,tokens,loss\n"))
                .hasMessageContaining("runs.csv line 1: the table has a header but no rows");
    }

    @Test
    void rejectsAMissingRequiredColumnNamingItsAliases() {
        assertThatThrownBy(() -> read("params,tokens\n1,2\n"))
                .hasMessageContaining("runs.csv line 1, field \"loss\": missing required column (header names accepted: loss|l)");
        assertThatThrownBy(() -> read("tokens,loss\n1,2\n"))
                .hasMessageContaining("field \"params\": missing required column");
        assertThatThrownBy(() -> read("params,loss\n1,2\n"))
                .hasMessageContaining("neither a tokens column");
    }

    @Test
    void totalParametersReadTheTotalColumnAndLeaveParamsAside() {
        ObservationCsv total = reader.withParams(dev.scalelab.core.model.ParamCount.TOTAL);
        ObservationTable table = total.read(new StringReader("params,tokens,loss,total_params\n1760,1e7,2.3,4192\n"),
                "runs.csv");
        assertThat(table.observations().get(0).params()).isEqualTo(4192);
        // flops derived from the counted N, as for any table read with C = k·N·D
        assertThat(table.observations().get(0).flops()).isEqualTo(6 * 4192 * 1e7);
        assertThatThrownBy(() -> total.read(new StringReader("params,tokens,loss\n1760,1e7,2.3\n"), "runs.csv"))
                .hasMessageContaining("runs.csv line 1, field \"total_params\": missing required column "
                        + "(header names accepted: total_params)");
    }

    @Test
    void uniqueTokensAreReadOrTakenFromEpochsAndNeverAboveTheTokens() {
        assertThat(read("params,tokens,loss,unique_tokens\n1e8,4e9,3.1,1e9\n").observations().get(0).uniqueTokens())
                .isEqualTo(1e9);
        assertThat(read("params,tokens,loss,epochs\n1e8,4e9,3.1,4\n").observations().get(0).uniqueTokens())
                .isEqualTo(1e9);
        assertThat(read("params,tokens,loss\n1e8,4e9,3.1\n").observations().get(0).uniqueTokens()).isNull();
        assertThatThrownBy(() -> read("params,tokens,loss,unique_tokens\n1e8,4e9,3.1,5e9\n"))
                .hasMessageContaining("runs.csv line 2, field \"unique_tokens\": 5.0E9 is above tokens 4.0E9");
        assertThatThrownBy(() -> read("params,tokens,loss,epochs\n1e8,4e9,3.1,0.5\n"))
                .hasMessageContaining("field \"epochs\": 0.5 is below one epoch");
    }

    @Test
    void rejectsTwoColumnsForTheSameQuantity() {
        assertThatThrownBy(() -> read("params,N,tokens,loss\n1,1,2,3\n"))
                .hasMessageContaining("field \"N\": this column and \"params\" both name params");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1e6,1e8,-3.0 | field \"loss\": -3.0 is not positive",
            "1e6,1e8,0    | field \"loss\": 0 is not positive",
            "0,1e8,3.0    | field \"params\": 0 is not positive",
            "1e6,NaN,3.0  | field \"tokens\": NaN is not a finite number",
            "1e6,inf,3.0  | field \"tokens\": inf is not a finite number",
            "1e6,1e8,abc  | field \"loss\": \"abc\" is not a number",
            "1e6,1e8,3.0x | field \"loss\": \"3.0x\" is not a number",
            "1e6,1e8,1.5d | field \"loss\": \"1.5d\" is not a number",
            "1e6,1e999,3  | field \"tokens\": 1e999 is too large",
            "1e6,1e8,     | field \"loss\": empty value",
            "1e6,,3       | field \"tokens\": empty value"})
    void rejectsBadValuesNamingLineAndColumn(String row, String expected) {
        assertThatThrownBy(() -> read("params,tokens,loss\n1,2,3\n" + row + "\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("runs.csv line 3, ")
                .hasMessageContaining(expected);
    }

    @Test
    void rejectsAFractionalStep() {
        assertThatThrownBy(() -> read("params,tokens,loss,step\n1,2,3,1.5\n"))
                .hasMessageContaining("line 2, field \"step\": 1.5 is not a whole number");
        assertThat(read("params,tokens,loss,step\n1,2,3,0\n").observations().get(0).step()).isZero();
    }

    @Test
    void rejectsADerivedValueThatOverflows() {
        assertThatThrownBy(() -> read("params,tokens,loss\n1e300,1e300,3\n"))
                .hasMessageContaining("line 2, field \"flops\": the derived value overflows");
    }

    @Test
    void rejectsAMissingFileAndMalformedQuoting(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> reader.read(missing)).hasMessage(missing + ": no such file; check the path");
        assertThatThrownBy(() -> read("params,tokens,loss\n1,2,3\n\"4,5,6\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a valid CSV table");
    }

    @Test
    void whereFiltersKeepMatchingRowsOnAnyNumericColumnAndListTheRest() {
        ObservationCsv filtered = reader.withFilters(java.util.List.of(RowFilter.parse("config_id=3"), RowFilter.parse("loss < 4")));
        ObservationTable table = filtered.read(new StringReader("""
                config_id,params,tokens,loss
                3,1,2,3.5
                2,1,2,3.5
                3,1,2,4.5
                3,2,2,3.9
                """), "runs.csv");
        assertThat(table.observations()).extracting(Observation::loss).containsExactly(3.5, 3.9);
        assertThat(table.excluded()).containsExactly(
                new ObservationTable.Excluded(3, "filtered out by --where 'config_id=3'"),
                new ObservationTable.Excluded(4, "filtered out by --where 'loss < 4'"));
        assertThat(RowFilter.parse("params>=1e6").accepts(1e6)).isTrue();
        assertThat(RowFilter.parse("params!=5").accepts(5)).isFalse();
        assertThatThrownBy(() -> RowFilter.parse("loss~5")).hasMessageContaining("cannot read filter 'loss~5'");
        assertThatThrownBy(() -> RowFilter.parse("loss<abc")).hasMessageContaining("'abc' is not a number");
        assertThatThrownBy(() -> reader.withFilters(java.util.List.of(RowFilter.parse("loss>100")))
                .read(new StringReader("params,tokens,loss\n1,2,3\n"), "x.csv"))
                .hasMessageContaining("no rows pass the filters");
        assertThatThrownBy(() -> reader.withFilters(java.util.List.of(RowFilter.parse("note>1")))
                .read(new StringReader("params,tokens,loss,note\n1,2,3,abc\n"), "x.csv"))
                .hasMessageContaining("x.csv line 2, field \"note\": \"abc\" is not a number");
    }

    @Test
    void whereComparesTextColumnsAsExactStringsAndTakesSets() {
        String csv = """
                source,experiment,params,tokens,loss,name
                epoch,llama_3__raw_loss,1,2,3.1,"a,b"
                marin,llama_3__raw_loss,1,2,3.2,c
                epoch,other,1,2,3.3,d
                openai,llama_3__raw_loss,1,2,3.4,e
                """;
        ObservationTable one = reader.withFilters(java.util.List.of(RowFilter.parse("experiment=llama_3__raw_loss")))
                .read(new StringReader(csv), "t.csv");
        assertThat(one.observations()).extracting(Observation::loss).containsExactly(3.1, 3.2, 3.4);
        ObservationTable set = reader.withFilters(java.util.List.of(RowFilter.parse("source=epoch,marin"),
                RowFilter.parse("experiment!=other"))).read(new StringReader(csv), "t.csv");
        assertThat(set.observations()).extracting(Observation::loss).containsExactly(3.1, 3.2);
        assertThat(set.excluded()).extracting(ObservationTable.Excluded::reason).containsExactly(
                "filtered out by --where 'experiment!=other'", "filtered out by --where 'source=epoch,marin'");
        // a value holding a comma is quoted; numbers in a set compare as numbers
        assertThat(reader.withFilters(java.util.List.of(RowFilter.parse("name=\"a,b\",e"))).read(new StringReader(csv),
                "t.csv").observations()).extracting(Observation::loss).containsExactly(3.1, 3.4);
        assertThat(RowFilter.parse("config_id=2,3").accepts(3.0)).isTrue();
        assertThat(RowFilter.parse("config_id=2,3").accepts(4.0)).isFalse();
        assertThat(RowFilter.parse("config_id!=2,3").accepts(4.0)).isTrue();
        assertThatThrownBy(() -> RowFilter.parse("name=\"a,b")).hasMessageContaining("opens a quote it does not close");
        assertThatThrownBy(() -> RowFilter.parse("source=epoch,,marin")).hasMessageContaining("has an empty value");
        assertThatThrownBy(() -> RowFilter.parse("source<epoch")).hasMessageContaining("'epoch' is not a number");
    }

    @Test
    void aQuantityCanBeReadFromAnyNamedColumnAndTheTableSaysWhichWasRead() {
        String csv = "n_total,tokens,val_bpb,loss\n100,1000,0.9,3.0\n200,1000,0.8,2.9\n";
        ObservationTable plain = reader.read(new StringReader("N,D,L\n1,2,3\n"), "t.csv");
        assertThat(plain.columns()).containsExactly(java.util.Map.entry("params", "N"), java.util.Map.entry("tokens", "D"),
                java.util.Map.entry("flops", "derived"), java.util.Map.entry("loss", "L"));
        ObservationTable chosen = reader.withColumn("params", "n_total").withColumn("loss", "VAL_BPB")
                .read(new StringReader(csv), "t.csv");
        assertThat(chosen.observations()).extracting(Observation::params).containsExactly(100.0, 200.0);
        // the loss column is left aside when another is chosen for the loss
        assertThat(chosen.observations()).extracting(Observation::loss).containsExactly(0.9, 0.8);
        assertThat(chosen.columns()).containsEntry("params", "n_total").containsEntry("loss", "val_bpb");
        assertThatThrownBy(() -> reader.withColumn("loss", "bpb").read(new StringReader("params,tokens,loss\n1,2,3\n"),
                "t.csv"))
                .hasMessageContaining("t.csv line 1, field \"bpb\": missing required column (header names accepted: bpb)");
        // a law's other quantity may come from any header, and the header must be there
        ObservationTable lr = reader.withColumn("lr", "peak_lr").read(new StringReader("params,tokens,loss,peak_lr\n"
                + "1,2,3,0.01\n"), "t.csv");
        assertThat(lr.observations().get(0).value("lr")).isEqualTo(0.01);
        assertThatThrownBy(() -> reader.withColumn("lr", "x").read(new StringReader("params,tokens,loss\n1,2,3\n"),
                "t.csv")).hasMessageContaining("field \"x\": the column chosen for lr is not in the header");
        assertThatThrownBy(() -> reader.withColumn("epochs", "x")).hasMessageContaining("one of scalelab's own columns");
    }
}
