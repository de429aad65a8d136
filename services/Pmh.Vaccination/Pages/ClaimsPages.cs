using Pmh.Vaccination.Domain.Billing;

namespace Pmh.Vaccination.Pages;

/// <summary>What the claims pages share.</summary>
public static class ClaimsPages
{
    /// <summary>The month a claims page opens on: the last closed one (before the 10th, the month before last).</summary>
    public static string DefaultMonth(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return ClaimMonth.EarliestOpenAt(time.GetUtcNow()).Previous.ToString();
    }

    /// <summary>Whole yen with thousands separators.</summary>
    public static string Yen(long yen) => yen.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Lines a claims page shows at once (the next ones by the page's "next lines" link, through the API's cursor).</summary>
    public const int LinesPerPage = 100;

    /// <summary>"approved 3, pending 1": how many lines of the whole claim are in each state (added up by the store).</summary>
    public static IReadOnlyList<(string State, int Count)> StateCounts(Pmh.Contracts.Vaccination.VaccinationClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return [.. claim.StateCounts.Select(s => (s.State, s.Lines))];
    }
}
