using MassTransit;
using Pmh.Contracts.Subsidy;

namespace Pmh.Gateway.Reception;

/// <summary>The subsidy part of a reception check: certificates valid on the service date, without the person key.</summary>
public sealed class SubsidyReceptionLookup(IRequestClient<CheckSubsidyEligibility> client) : IReceptionLookup
{
    public string Kind => "subsidy";

    public async Task<object> LookupAsync(ReceptionLookupContext context, CancellationToken cancellationToken)
    {
        var response = await client.GetResponse<SubsidyEligibility>(
            new CheckSubsidyEligibility { PersonKey = context.PersonKey, ServiceDate = context.ServiceDate },
            cancellationToken).ConfigureAwait(false);
        return new { certificates = response.Message.Certificates.Select(SubsidyCertificateView.From).ToList() };
    }
}

/// <summary>A certificate as a desk sees it: what is printed on it, nothing internal to the hub.</summary>
public sealed record SubsidyCertificateView(
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
    IReadOnlyList<CertificationDetailItem> CertificationDetail)
{
    public static SubsidyCertificateView From(SubsidyCertificate c) => new(
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
        c.CertificationDetail);
}
