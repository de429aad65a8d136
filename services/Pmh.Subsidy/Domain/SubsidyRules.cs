using Pmh.Contracts.Subsidy;

namespace Pmh.Subsidy.Domain;

/// <summary>
/// Which certificates a reception desk may see. Pure: the store hands it the current revision of each of a
/// person's certificates and it decides.
/// </summary>
public static class SubsidyRules
{
    /// <summary>
    /// Valid on <paramref name="serviceDate"/>: not withdrawn, not marked not-to-disclose (不開示), and the date within
    /// <c>validFrom..validTo</c>, both days inclusive.
    /// </summary>
    public static bool IsEligibleOn(SubsidyCertificate certificate, DateOnly serviceDate) =>
        !certificate.IsDeleted
        && !certificate.IsNotDisclosed
        && certificate.ValidFrom <= serviceDate
        && serviceDate <= certificate.ValidTo;

    /// <summary>Every certificate eligible on the date, in a stable order (municipality, validity, history key).</summary>
    public static IReadOnlyList<SubsidyCertificate> EligibleOn(IEnumerable<SubsidyCertificate> current, DateOnly serviceDate) =>
        current
            .Where(c => IsEligibleOn(c, serviceDate))
            .OrderBy(c => c.MunicipalityCode, StringComparer.Ordinal)
            .ThenBy(c => c.ValidFrom)
            .ThenBy(c => c.HistoryKey, StringComparer.Ordinal)
            .ToList();
}
