package dev.scalelab.core.io;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvTableTest {
    @Test
    void quotesOnlyWhatNeedsQuoting() {
        CsvTable table = CsvTable.withHeader("run", "loss", "note")
                .add("a", 1.5, "plain")
                .add("b,c", 0.1 + 0.2, "say \"hi\"")
                .add("d", null, "two\nlines");
        assertThat(table.toText()).isEqualTo("""
                run,loss,note
                a,1.5,plain
                "b,c",0.30000000000000004,"say ""hi\"\"\"
                d,,"two
                lines"
                """);
        assertThat(table.rowCount()).isEqualTo(3);
        assertThatThrownBy(() -> table.add("only one")).hasMessageContaining("row has 1 cells, header has 3");
    }

    @Test
    void doublesRoundTripThroughTheObservationReader(@TempDir Path dir) {
        double loss = 3.141592653589793;
        double params = 123456789.0123;
        Path file = dir.resolve("obs.csv");
        CsvTable.withHeader("params", "tokens", "loss", "run").add(params, 1e9, loss, "x,y").write(file);
        Observation read = ObservationCsv.standard().read(file).observations().get(0);
        assertThat(read.params()).isEqualTo(params);
        assertThat(read.loss()).isEqualTo(loss);
        assertThat(read.run()).isEqualTo("x,y");
    }

    private static CsvTable read(String text) {
        return CsvTable.read(new StringReader(text), "t.csv", "rewrite it");
    }

    private static InvalidInputException readError(String text) {
        try {
            CsvTable table = read(text);
            table.rows().forEach(r -> r.number("loss"));
            throw new AssertionError("no error for " + text);
        } catch (InvalidInputException e) {
            return e;
        }
    }

    @Test
    void readsCellsByHeaderNameWhateverTheColumnOrder() {
        CsvTable a = read("run,loss,step\nx,2.5,10\n");
        CsvTable b = read("step,run,loss\n10,x,2.5\n");
        for (CsvTable t : List.of(a, b)) {
            CsvTable.Row row = t.rows().get(0);
            assertThat(row.text("run")).isEqualTo("x");
            assertThat(row.number("loss")).isEqualTo(2.5);
            assertThat(row.whole("step")).isEqualTo(10L);
            assertThat(row.line()).isEqualTo(2);
        }
        assertThat(b.header()).containsExactly("step", "run", "loss");
        assertThat(b.has("loss")).isTrue();
        assertThat(b.has("Loss")).isFalse();
    }

    @Test
    void readsQuotedFieldsAByteOrderMarkAndCrlfLineEnds() {
        CsvTable t = read("\uFEFFrun,note,loss\r\n\"a,b\",\"say \"\"hi\"\"\",1.5\r\n\r\nc,\"two\nlines\",NaN\r\n");
        assertThat(t.header()).containsExactly("run", "note", "loss");
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.rows().get(0).text("run")).isEqualTo("a,b");
        assertThat(t.rows().get(0).text("note")).isEqualTo("say \"hi\"");
        assertThat(t.rows().get(1).text("note")).isEqualTo("two\nlines");
        assertThat(t.rows().get(1).number("loss")).isNaN();
        assertThat(t.rows().get(1).line()).isEqualTo(4);
    }

    @Test
    void aWrittenTableReadsBackToTheSameCellsAndBytes(@TempDir Path dir) {
        CsvTable written = CsvTable.withHeader("run", "budget", "loss", "note")
                .add("a,b", null, 0.1 + 0.2, "say \"hi\"")
                .add("c", 6e8, Double.POSITIVE_INFINITY, "two\nlines");
        Path file = dir.resolve("t.csv");
        written.write(file);
        CsvTable read = CsvTable.read(file, null);
        assertThat(read.source()).isEqualTo(file.toString());
        assertThat(read.rows().get(0).text("budget")).isEmpty();
        assertThat(read.rows().get(0).number("loss")).isEqualTo(0.1 + 0.2);
        assertThat(read.rows().get(1).number("loss")).isInfinite();
        CsvTable copy = new CsvTable(read.header());
        read.rows().forEach(copy::add);
        assertThat(copy.toText()).isEqualTo(written.toText());
    }

    @Test
    void aShortOrLongRowIsAnErrorNamingTheFileLineAndField() {
        InvalidInputException shortRow = readError("run,loss,step\nx,2.5,1\ny,3.5\n");
        assertThat(shortRow.source()).isEqualTo("t.csv");
        assertThat(shortRow.line()).isEqualTo(3);
        assertThat(shortRow.field()).isEqualTo("step");
        assertThat(shortRow.getMessage()).isEqualTo("t.csv line 3, field \"step\": the row has 2 of the header's 3 "
                + "fields (the file was cut or edited); rewrite it");
        InvalidInputException longRow = readError("run,loss\nx,2.5,extra\n");
        assertThat(longRow.line()).isEqualTo(2);
        assertThat(longRow.getMessage()).startsWith("t.csv line 2: the row has 3 fields, the header 2: field 3 (\"extra\")");
    }

    @Test
    void aBadCellOrAMissingColumnIsAnErrorNamingIt() {
        InvalidInputException text = readError("run,loss\nx,2.5\ny,low\n");
        assertThat(text.getMessage()).isEqualTo("t.csv line 3, field \"loss\": \"low\" is not a number; rewrite it");
        InvalidInputException missing = readError("run,los\nx,2.5\n");
        assertThat(missing.line()).isEqualTo(1);
        assertThat(missing.field()).isEqualTo("loss");
        assertThat(missing.getMessage()).contains("missing column (the header is run,los)");
        CsvTable.Row fractional = read("step,loss\n1.5,2\n").rows().get(0);
        assertThatThrownBy(() -> fractional.whole("step")).isInstanceOf(InvalidInputException.class).hasMessage("t.csv line 2, field \"step\": \"1.5\" is not a whole number; rewrite it");
    }

    @Test
    void aHeaderAloneHasNoRowsAndAnEmptyFileNoColumns() {
        CsvTable headerOnly = read("run,loss\r\n");
        assertThat(headerOnly.rowCount()).isZero();
        assertThat(headerOnly.column("loss")).isEqualTo(1);
        CsvTable empty = read("");
        assertThat(empty.header()).isEmpty();
        assertThat(empty.rowCount()).isZero();
        assertThatThrownBy(() -> empty.column("loss")).isInstanceOf(InvalidInputException.class)
                .hasMessage("t.csv: the table is empty (no header); the first line must be a header naming loss; rewrite it");
    }

    @Test
    void aMissingOrBadlyQuotedFileIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> CsvTable.read(dir.resolve("none.csv"), null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("none.csv").hasMessageContaining("no such file");
        Path quoted = dir.resolve("q.csv");
        Files.writeString(quoted, "run,loss\n\"x,2.5\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CsvTable.read(quoted, null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("q.csv line").hasMessageContaining("not a valid CSV table");
    }

    @Test
    void aRaggedTableReadsMissingCellsAsEmpty() {
        CsvTable t = CsvTable.readRagged(new StringReader("run,loss,group\nx,2.5\ny,3,g,extra\n"), "r.csv");
        assertThat(t.rows().get(0).text("group")).isEmpty();
        assertThat(t.rows().get(1).text("group")).isEqualTo("g");
        assertThat(t.rows().get(1).cells()).hasSize(4);
    }
}
