using System.Globalization;
using Pmh.Contracts.Vaccination;

namespace Pmh.Vaccination.Domain.Billing;

/// <summary>
/// One row of a municipality's price table (予防接種委託料単価): what it pays an institution for a dose of
/// <see cref="Vaccine"/> under <see cref="Programme"/> given from <see cref="ValidFrom"/> to <see cref="ValidTo"/>
/// (both inclusive; no end = until further notice). Amounts are whole yen.
/// </summary>
public sealed record PriceRow(
    string Vaccine,
    string Programme,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    long UnitPriceYen,
    long PatientShareYen,
    bool QuestionnaireRequired = false)
{
    /// <summary>What the municipality pays: the unit price less the patient's share.</summary>
    public long BilledYen => UnitPriceYen - PatientShareYen;

    public bool InForceOn(DateOnly date) => date >= ValidFrom && (ValidTo is null || date <= ValidTo.Value);

    /// <summary>Whether two rows of the same vaccine and programme cover a common day.</summary>
    public bool Overlaps(PriceRow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!string.Equals(Vaccine, other.Vaccine, StringComparison.Ordinal) || !string.Equals(Programme, other.Programme, StringComparison.Ordinal))
        {
            return false;
        }

        var thisEnd = ValidTo ?? DateOnly.MaxValue;
        var otherEnd = other.ValidTo ?? DateOnly.MaxValue;
        return ValidFrom <= otherEnd && other.ValidFrom <= thisEnd;
    }
}

/// <summary>
/// A municipality's price table: the rows of its latest accepted upload (an upload is the whole table; rows of past
/// periods must be sent again for late doses to be priced). At most one row of a vaccine and programme is in force on
/// any day: overlapping rows are refused at upload (<see cref="OverlapRefusals"/>).
/// </summary>
public sealed class PriceTable
{
    private readonly IReadOnlyList<PriceRow> _rows;

    public PriceTable(IEnumerable<PriceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _rows = rows.ToList();
    }

    public static PriceTable Empty { get; } = new([]);

    public IReadOnlyList<PriceRow> Rows => _rows;

    /// <summary>The row in force for a dose of <paramref name="vaccine"/> under <paramref name="programme"/> on <paramref name="doseDate"/>, or null (unpriced).</summary>
    public PriceRow? PriceOn(string vaccine, string programme, DateOnly doseDate) =>
        _rows.FirstOrDefault(r => string.Equals(r.Vaccine, vaccine, StringComparison.Ordinal)
            && string.Equals(r.Programme, programme, StringComparison.Ordinal)
            && r.InForceOn(doseDate));

    /// <summary>
    /// The rows (by their index) that overlap an earlier row of the same vaccine and programme: each refused on
    /// <c>validFrom</c>, naming the row it overlaps. The first of two overlapping rows is kept.
    /// </summary>
    public static IReadOnlyList<(int Index, string Field, string Reason)> OverlapRefusals(IReadOnlyList<(int Index, PriceRow Row)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var kept = new List<(int Index, PriceRow Row)>();
        var refused = new List<(int Index, string Field, string Reason)>();
        foreach (var row in rows.OrderBy(r => r.Index))
        {
            var clash = kept.FirstOrDefault(k => k.Row.Overlaps(row.Row));
            if (clash.Row is not null)
            {
                refused.Add((row.Index, "validFrom", string.Create(
                    CultureInfo.InvariantCulture,
                    $"the period overlaps row {clash.Index} ({row.Row.Vaccine} {row.Row.Programme} from {Iso(clash.Row.ValidFrom)}{(clash.Row.ValidTo is { } to ? " to " + Iso(to) : "")}): at most one price is in force on a day")));
            }
            else
            {
                kept.Add(row);
            }
        }

        return refused;
    }

    /// <summary>Whether <paramref name="programme"/> is paid by the municipality at all: routine doses are, voluntary ones are not.</summary>
    public static bool IsBilled(string programme) =>
        string.Equals(programme, VaccinationProgrammes.RoutineA, StringComparison.Ordinal)
        || string.Equals(programme, VaccinationProgrammes.RoutineB, StringComparison.Ordinal);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
