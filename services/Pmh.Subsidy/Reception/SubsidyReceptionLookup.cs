using MassTransit;
using Pmh.Contracts.Subsidy;

namespace Pmh.Subsidy.Reception;

/// <summary>The subsidy part of a reception check: certificates valid on the service date, without the person key.</summary>
public sealed class SubsidyReceptionLookup(IRequestClient<CheckSubsidyEligibility> client) : IReceptionLookup
{
    public string Kind => "subsidy";

    public async Task<object> LookupAsync(ReceptionLookupContext context, CancellationToken cancellationToken)
    {
        var response = await client.GetResponse<SubsidyEligibility>(
            new CheckSubsidyEligibility { PersonKey = context.PersonKey, ServiceDate = context.ServiceDate },
            cancellationToken).ConfigureAwait(false);
        var ledgers = response.Message.Ledgers.ToDictionary(l => (l.MunicipalityCode, l.HistoryKey));
        return new SubsidyView(response.Message.Certificates
            .Select(c => SubsidyCertificateView.From(c, ledgers.GetValueOrDefault((c.MunicipalityCode, c.HistoryKey))))
            .ToList());
    }
}

/// <summary>The subsidy part as a desk sees it: the certificates valid on the service date.</summary>
public sealed record SubsidyView(IReadOnlyList<SubsidyCertificateView> Certificates);

/// <summary>
/// A certificate as a desk sees it: what is printed on it, its id for co-payments, and for a capped certificate the
/// month's co-payment total and what remains — nothing internal to the hub.
/// </summary>
public sealed record SubsidyCertificateView(
    string CertificateId,
    string MunicipalityCode,
    string OrgSpecificCertificateTypeId,
    string CertificationName,
    string MedicalSubsidyInsurerNumber,
    string MedicalSubsidyRecipientNumber,
    string? CertificationSubKey,
    string? Segment,
    string? IncomeSegment,
    string? AdditionalConditions,
    IReadOnlyList<string> DesignatedMedicalInstitutions,
    bool IsAlwaysReimbursement,
    MaxCopaymentAmount? MaxCopaymentAmount,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    BasicFiveInfo BasicFiveInfo,
    IReadOnlyList<CertificationDetailItem> CertificationDetail,
    CopaymentMonth? Copayment)
{
    /// <summary>The certificate's id in co-payment calls: <c>{municipalityCode}:{historyKey}</c>.</summary>
    public static string IdOf(SubsidyCertificate c) => $"{c.MunicipalityCode}:{c.HistoryKey}";

    public static SubsidyCertificateView From(SubsidyCertificate c, CopaymentMonth? copayment = null) => new(
        IdOf(c),
        c.MunicipalityCode,
        c.OrgSpecificCertificateTypeId,
        c.CertificationName,
        c.MedicalSubsidyInsurerNumber,
        c.MedicalSubsidyRecipientNumber,
        c.CertificationSubKey,
        c.Segment,
        c.IncomeSegment,
        c.AdditionalConditions,
        c.DesignatedMedicalInstitutions,
        c.IsAlwaysReimbursement,
        c.MaxCopaymentAmount,
        c.ValidFrom,
        c.ValidTo,
        c.BasicFiveInfo,
        c.CertificationDetail,
        copayment);
}
