using System.Text;

namespace Pmh.Modules.Batches;

/// <summary>
/// Cells of the CSV the hub writes (a batch's rejected rows), safe to open in a spreadsheet: a cell a spreadsheet would
/// run as a formula is neutralised with a leading single quote (OWASP's CSV-injection rule), every cell is quoted as
/// RFC 4180 needs, and no run of twelve or more digits (a My Number) is ever written.
/// </summary>
public static class CsvCells
{
    /// <summary>What starts a formula: = + - @, a tab or carriage return, and their full-width forms ＝ ＋ － ＠.</summary>
    public const string FormulaStarts = "=+-@\t\r＝＋－＠";

    public const string RedactedDigits = "[digits removed]";

    /// <summary>
    /// The cell with a single quote in front when its first character (after any spaces, which spreadsheets skip)
    /// would start a formula; any other cell as it is.
    /// </summary>
    public static string Neutralise(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var first = cell.AsSpan().TrimStart(' ');
        return first.Length > 0 && FormulaStarts.Contains(first[0]) ? "'" + cell : cell;
    }

    /// <summary>The cell as one CSV field: in double quotes (doubled inside) when it holds a comma, quote, CR or LF or edge spaces.</summary>
    public static string Quote(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var needs = cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && (cell[0] == ' ' || cell[^1] == ' '));
        return needs ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }

    /// <summary>Any run of twelve or more digits (ASCII or full-width), which could be a My Number, replaced by <see cref="RedactedDigits"/>.</summary>
    public static string RedactLongDigitRuns(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var result = new StringBuilder(cell.Length);
        var i = 0;
        while (i < cell.Length)
        {
            var end = i;
            while (end < cell.Length && IsDigit(cell[end]))
            {
                end++;
            }

            if (end - i >= 12)
            {
                result.Append(RedactedDigits);
                i = end;
            }
            else if (end > i)
            {
                result.Append(cell, i, end - i);
                i = end;
            }
            else
            {
                result.Append(cell[i]);
                i++;
            }
        }

        return result.ToString();
    }

    /// <summary>A cell as the hub writes it: redacted, neutralised, quoted.</summary>
    public static string Field(string? cell) => Quote(Neutralise(RedactLongDigitRuns(cell ?? "")));

    /// <summary>One CSV record (CRLF-terminated, RFC 4180).</summary>
    public static string Record(params string?[] cells) => string.Join(',', cells.Select(Field)) + "\r\n";

    private static bool IsDigit(char c) => c is (>= '0' and <= '9') or (>= '０' and <= '９');
}

/// <summary>A batch's rejected rows as CSV: <c>row,field,reason</c> (row 0 is the batch's first row), one line per rejection.</summary>
public static class RejectionsCsv
{
    public static string Write(IEnumerable<RowRejection> rejections)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        var csv = new StringBuilder(CsvCells.Record("row", "field", "reason"));
        foreach (var rejection in rejections)
        {
            csv.Append(CsvCells.Record(rejection.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), rejection.Field, rejection.Reason));
        }

        return csv.ToString();
    }
}
