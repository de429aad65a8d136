namespace Pmh.Contracts.Subsidy;

/// <summary>
/// One revision of a medical-expense subsidy certificate (受給者証) as it travels between services: the fields of
/// the municipal registration API (docs/subsidy-certificate-rows.md) with the My Number already replaced by the person key.
/// Identity: <see cref="MunicipalityCode"/> + <see cref="HistoryKey"/>; a later revision replaces an earlier one.
/// </summary>
public sealed record SubsidyCertificate
{
    public required string MunicipalityCode { get; init; }

    public required string HistoryKey { get; init; }

    /// <summary>HMAC-SHA256 person key; internal to the hub, never shown to an institution.</summary>
    public required string PersonKey { get; init; }

    public required string OrgSpecificCertificateTypeId { get; init; }

    public required BasicFiveInfo BasicFiveInfo { get; init; }

    public required bool IsNotDisclosed { get; init; }

    public required string MedicalSubsidyInsurerNumber { get; init; }

    public required string CertificationName { get; init; }

    public required string MedicalSubsidyRecipientNumber { get; init; }

    public string? CertificationSubKey { get; init; }

    public string? Segment { get; init; }

    public string? IncomeSegment { get; init; }

    /// <summary><c>itemCode-conditionCode</c> pairs joined by <c>;</c>.</summary>
    public string? AdditionalConditions { get; init; }

    public IReadOnlyList<string> DesignatedMedicalInstitutions { get; init; } = [];

    public required bool IsAlwaysReimbursement { get; init; }

    public MaxCopaymentAmount? MaxCopaymentAmount { get; init; }

    public required DateOnly ValidFrom { get; init; }

    public required DateOnly ValidTo { get; init; }

    public required bool IsDeleted { get; init; }

    public IReadOnlyList<CertificationDetailItem> CertificationDetail { get; init; } = [];
}

/// <summary>基本5情報: name, kana name, address, date of birth, sex (<c>1</c> male, <c>2</c> female, <c>9</c> other).</summary>
public sealed record BasicFiveInfo(string Name, string NameKana, string Address, DateOnly DateOfBirth, string Sex);

/// <summary>自己負担上限額. The real schema's inner fields are not public; the hub needs at least the monthly cap.</summary>
public sealed record MaxCopaymentAmount(int MonthlyYen);

/// <summary>An item printed on the certificate.</summary>
public sealed record CertificationDetailItem(string Label, string Value);
