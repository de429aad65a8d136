using Pmh.Modules.Batches;

namespace Pmh.Gateway.Tests.Batches;

public class CsvCellsTests
{
    [Theory]
    [InlineData("=1+1")]
    [InlineData("+81")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    [InlineData("＝1+1")]
    [InlineData("＋1")]
    [InlineData("－1")]
    [InlineData("＠A1")]
    [InlineData("  =HYPERLINK(\"http://x\")")]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_single_quote(string cell)
    {
        Assert.Equal("'" + cell, CsvCells.Neutralise(cell));
    }

    [Theory]
    [InlineData("")]
    [InlineData("must be label=value")]
    [InlineData("certificationDetail[0]")]
    [InlineData("1=1")]
    [InlineData("'=already quoted")]
    public void Any_other_cell_is_left_as_it_is(string cell)
    {
        Assert.Equal(cell, CsvCells.Neutralise(cell));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"x\"", "\"say \"\"x\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" edge", "\" edge\"")]
    public void A_cell_is_quoted_only_when_csv_needs_it(string cell, string field)
    {
        Assert.Equal(field, CsvCells.Quote(cell));
    }

    [Fact]
    public void A_neutralised_cell_that_also_needs_quotes_is_quoted_around_the_single_quote()
    {
        Assert.Equal("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"", CsvCells.Field("=HYPERLINK(\"http://evil\",\"x\")"));
    }

    [Theory]
    [InlineData("123456789012", "[digits removed]")]
    [InlineData("my number 1234567890123 here", "my number [digits removed] here")]
    [InlineData("１２３４５６７８９０１２", "[digits removed]")]
    [InlineData("10000000", "10000000")]
    [InlineData("row 12345678901", "row 12345678901")]
    public void Twelve_or_more_digits_in_a_row_are_never_written(string cell, string written)
    {
        Assert.Equal(written, CsvCells.RedactLongDigitRuns(cell));
    }

    [Fact]
    public void Rejections_are_written_as_row_field_reason_with_crlf_lines()
    {
        var csv = RejectionsCsv.Write([new RowRejection(0, "myNumber", "check digit does not match"), new RowRejection(3, "=cmd|' /C calc'!A0", "a, \"b\"")]);

        Assert.Equal(
            "row,field,reason\r\n0,myNumber,check digit does not match\r\n3,'=cmd|' /C calc'!A0,\"a, \"\"b\"\"\"\r\n",
            csv);
    }
}
