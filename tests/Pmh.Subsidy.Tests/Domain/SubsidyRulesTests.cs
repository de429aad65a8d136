using Pmh.Subsidy.Domain;

namespace Pmh.Subsidy.Tests.Domain;

public class SubsidyRulesTests
{
    private static readonly DateOnly FirstDay = new(2026, 4, 1);
    private static readonly DateOnly LastDay = new(2027, 3, 31);

    [Fact]
    public void A_certificate_is_eligible_on_its_first_and_last_valid_day()
    {
        var certificate = Certificates.Make("p", "H-1");
        Assert.True(SubsidyRules.IsEligibleOn(certificate, FirstDay));
        Assert.True(SubsidyRules.IsEligibleOn(certificate, LastDay));
    }

    [Fact]
    public void A_certificate_is_not_eligible_the_day_before_or_after_its_validity()
    {
        var certificate = Certificates.Make("p", "H-1");
        Assert.False(SubsidyRules.IsEligibleOn(certificate, FirstDay.AddDays(-1)));
        Assert.False(SubsidyRules.IsEligibleOn(certificate, LastDay.AddDays(1)));
    }

    [Fact]
    public void A_one_day_certificate_is_eligible_on_that_day_only()
    {
        var certificate = Certificates.Make("p", "H-1", validFrom: "2026-05-05", validTo: "2026-05-05");
        Assert.True(SubsidyRules.IsEligibleOn(certificate, new DateOnly(2026, 5, 5)));
        Assert.False(SubsidyRules.IsEligibleOn(certificate, new DateOnly(2026, 5, 4)));
        Assert.False(SubsidyRules.IsEligibleOn(certificate, new DateOnly(2026, 5, 6)));
    }

    [Fact]
    public void A_not_to_disclose_certificate_is_never_eligible()
    {
        Assert.False(SubsidyRules.IsEligibleOn(Certificates.Make("p", "H-1", notDisclosed: true), FirstDay));
    }

    [Fact]
    public void A_withdrawn_certificate_is_never_eligible()
    {
        Assert.False(SubsidyRules.IsEligibleOn(Certificates.Make("p", "H-1", deleted: true), FirstDay));
    }

    [Fact]
    public void Several_certificates_valid_on_one_day_are_all_returned_in_a_stable_order()
    {
        var current = new[]
        {
            Certificates.Make("p", "H-3", validFrom: "2026-01-01", validTo: "2026-12-31"),
            Certificates.Make("p", "H-1"),
            Certificates.Make("p", "H-2", validFrom: "2025-04-01", validTo: "2026-03-31"),
            Certificates.Make("p", "H-4", notDisclosed: true),
            Certificates.Make("p", "H-0", municipality: "011002"),
        };

        var eligible = SubsidyRules.EligibleOn(current, new DateOnly(2026, 6, 1));

        Assert.Equal(["H-0", "H-3", "H-1"], eligible.Select(c => c.HistoryKey));
    }
}
